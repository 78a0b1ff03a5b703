import { Module } from '@nestjs/common';
import { DemoDataLoader } from './demo-data.loader';

/** Loads the demo data set into an empty store at start (`SEED_DEMO`, default true). */
@Module({ providers: [DemoDataLoader] })
export class DemoDataModule {}
