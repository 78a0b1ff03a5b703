import { Module } from '@nestjs/common';
import { AuditHistoryController } from './audit-history.controller';
import { AuditHistoryService } from './audit-history.service';
import { LIVE_FEED_CONFIG, readLiveFeedConfig } from './live-feed.config';
import { LiveFeedController } from './live-feed.controller';
import { LiveFeedService } from './live-feed.service';
import { ReplaysController } from './replays.controller';
import { TamperEvidenceController } from './tamper-evidence.controller';

/** `/v1/audit/*`: history, tamper evidence, replays and the live feed, for auditor and admin keys only. */
@Module({
  controllers: [AuditHistoryController, TamperEvidenceController, ReplaysController, LiveFeedController],
  providers: [AuditHistoryService, LiveFeedService, { provide: LIVE_FEED_CONFIG, useFactory: () => readLiveFeedConfig() }],
})
export class AuditModule {}
