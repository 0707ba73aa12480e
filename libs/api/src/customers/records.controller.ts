import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { DEFAULT_VALUE_SETTINGS, loadRuleSet, valueSettingsOf } from '@rp/ingest';
import { resolveRules, type RuleSet } from '@rp/risk';
import { BearerGuard, CurrentCaller } from '../auth/bearer.guard';
import type { Caller } from '../auth/token';
import { CustomerIdParams, SerialParams } from '../http/schemas';
import { ZodPipe } from '../http/zod-pipe';
import { RetentionMetricsQuery } from '../metrics/period';
import { retentionMetrics } from '../metrics/retention-metrics';
import { RecordsService } from './records.service';

@Controller('api/v1')
@UseGuards(BearerGuard)
export class RecordsController {
  /**
   * The active rule set (RISK_RULESET_FILE): its margin rates price absorption. Read when the API starts, so an
   * invalid document stops an api-only process at start-up, as it stops the ingest role.
   */
  private readonly ruleSet: RuleSet;

  constructor(
    private readonly records: RecordsService,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.ruleSet = loadRuleSet(config.risk.ruleSetFile);
  }

  @Get('customers/:id')
  customer(
    @CurrentCaller() caller: Caller,
    @Param(new ZodPipe(CustomerIdParams, 'params')) p: { id: string },
  ) {
    return this.records.customer(caller, p.id, Date.now());
  }

  @Get('machines/:serial')
  machine(
    @CurrentCaller() caller: Caller,
    @Param(new ZodPipe(SerialParams, 'params')) p: { serial: string },
  ) {
    return this.records.machine(caller, p.serial);
  }

  // Served here rather than by a controller of its own so it needs no change to ApiModule's registrations.
  @Get('metrics/retention')
  retention(
    @CurrentCaller() caller: Caller,
    @Query(new ZodPipe(RetentionMetricsQuery, 'query')) q: RetentionMetricsQuery,
  ) {
    const e = this.config.dealerEconomics[caller.dealerId] ?? this.config.dealerEconomics['*'] ?? {};
    return retentionMetrics(this.ds, caller, q, Date.now(), {
      revenuePerHour: e.revenuePerHour ?? null,
      fixedExpensesPerDay: e.fixedExpensesPerDay ?? null,
      // The rates the value model prices a line without a gross profit at: the active rule set's for this
      // dealer (its `value.marginRates`), else the defaults.
      marginRates: valueSettingsOf(resolveRules(this.ruleSet, caller.dealerId), DEFAULT_VALUE_SETTINGS)
        .marginRates,
    });
  }
}
