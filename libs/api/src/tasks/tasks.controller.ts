import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { BearerGuard, CurrentCaller } from '../auth/bearer.guard';
import type { Caller } from '../auth/token';
import { CompleteBody, TaskIdParams, TaskQuery } from '../http/schemas';
import { ZodPipe } from '../http/zod-pipe';
import { TasksService } from './tasks.service';

@Controller('api/v1/tasks')
@UseGuards(BearerGuard)
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  list(@CurrentCaller() caller: Caller, @Query(new ZodPipe(TaskQuery, 'query')) q: TaskQuery) {
    // The request time: the instant a walk's first page evaluates the effective priority at (TasksService.list).
    return this.tasks.list(caller, q, Date.now());
  }

  @Get(':id')
  one(@CurrentCaller() caller: Caller, @Param(new ZodPipe(TaskIdParams, 'params')) p: { id: string }) {
    return this.tasks.one(caller, p.id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  claim(@CurrentCaller() caller: Caller, @Param(new ZodPipe(TaskIdParams, 'params')) p: { id: string }) {
    return this.tasks.claim(caller, p.id);
  }

  @Post(':id/unclaim')
  @HttpCode(200)
  unclaim(@CurrentCaller() caller: Caller, @Param(new ZodPipe(TaskIdParams, 'params')) p: { id: string }) {
    return this.tasks.unclaim(caller, p.id);
  }

  @Post(':id/complete')
  @HttpCode(200)
  complete(
    @CurrentCaller() caller: Caller,
    @Param(new ZodPipe(TaskIdParams, 'params')) p: { id: string },
    @Body(new ZodPipe(CompleteBody, 'body')) body: CompleteBody,
  ) {
    return this.tasks.complete(caller, p.id, body);
  }
}
