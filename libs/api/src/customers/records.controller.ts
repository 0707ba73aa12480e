import { Controller, Get, Param, UseFilters, UseGuards } from '@nestjs/common';
import { BearerGuard, CurrentCaller } from '../auth/bearer.guard';
import type { Caller } from '../auth/token';
import { ApiExceptionFilter } from '../http/api-exception.filter';
import { CustomerIdParams, SerialParams } from '../http/schemas';
import { ZodPipe } from '../http/zod-pipe';
import { RecordsService } from './records.service';

@Controller('api/v1')
@UseGuards(BearerGuard)
@UseFilters(ApiExceptionFilter)
export class RecordsController {
  constructor(private readonly records: RecordsService) {}

  @Get('customers/:id')
  customer(
    @CurrentCaller() caller: Caller,
    @Param(new ZodPipe(CustomerIdParams, 'params')) p: { id: string },
  ) {
    return this.records.customer(caller, p.id);
  }

  @Get('machines/:serial')
  machine(
    @CurrentCaller() caller: Caller,
    @Param(new ZodPipe(SerialParams, 'params')) p: { serial: string },
  ) {
    return this.records.machine(caller, p.serial);
  }
}
