import { Controller, Get, UseGuards } from '@nestjs/common';
import { BearerGuard, CurrentCaller } from './bearer.guard';
import type { Caller } from './token';

/** Who the presented token acts as: what the inbox shows as signed in, and the assignee of its claims. */
@Controller('api/v1/me')
@UseGuards(BearerGuard)
export class MeController {
  @Get()
  me(@CurrentCaller() caller: Caller) {
    return {
      subject: caller.subject,
      role: caller.role,
      dealerId: caller.dealerId,
      branchId: caller.branchId ?? null,
    };
  }
}
