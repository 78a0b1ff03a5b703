import { EVENT_TYPE } from '@eventstore/db-client';
import { subscriptionFilterFor } from './esdb-subscription-filter';

describe('subscriptionFilterFor', () => {
  it('excludes system events when no types are given', () => {
    expect(subscriptionFilterFor(undefined)).toMatchObject({ filterOn: EVENT_TYPE, regex: '^[^$].*' });
    expect(subscriptionFilterFor({})).toMatchObject({ filterOn: EVENT_TYPE, regex: '^[^$].*' });
  });

  it('matches exactly the listed types, with regex syntax escaped', () => {
    const { regex } = subscriptionFilterFor({ eventTypes: ['PlantAnnounced', 'tariff.changed+v2'] }) as { regex: string };
    const matcher = new RegExp(regex);

    expect(['PlantAnnounced', 'tariff.changed+v2'].every((type) => matcher.test(type))).toBe(true);
    expect(['PlantAnnouncedLate', 'XPlantAnnounced', 'tariffXchangedv2', 'tariff.changed+v22'].some((type) => matcher.test(type))).toBe(false);
  });

  it('matches nothing for an empty list', () => {
    const { regex } = subscriptionFilterFor({ eventTypes: [] }) as { regex: string };
    expect(['', 'PlantAnnounced', '$statsCollected'].some((type) => new RegExp(regex).test(type))).toBe(false);
  });
});
