import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { BearerGuard } from './auth/bearer.guard';
import { MeController } from './auth/me.controller';
import { RecordsController } from './customers/records.controller';
import { RecordsService } from './customers/records.service';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { InboxController } from './inbox/inbox.controller';
import { OutcomePublisher } from './outcomes/outcome-publisher';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';

/** REST API, web inbox, OpenAPI document, and the outcome publisher (outbox → followup.outcomes). */
@Module({
  controllers: [TasksController, RecordsController, MeController, InboxController],
  providers: [
    BearerGuard,
    ApiExceptionFilter,
    // Global: errors before a controller (malformed JSON, unknown /api/v1 route) get the API's shape too.
    { provide: APP_FILTER, useExisting: ApiExceptionFilter },
    TasksService,
    RecordsService,
    OutcomePublisher,
  ],
})
export class ApiModule {}
