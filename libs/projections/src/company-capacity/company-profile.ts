import { Cut, EntityTimeline, factsByEffectiveDate } from '../engine/fact-timeline';

/** A company as known at the cut: registration known at knownAt, latest rename effective ≤ asOf. */
export interface CompanyAt {
  companyId: string;
  name: string;
  headquartersCountry: string;
}

/** Undefined when the registration is not known at knownAt (or was retracted). */
export const companyAt = (timeline: EntityTimeline | undefined, cut: Cut): CompanyAt | undefined => {
  let company: CompanyAt | undefined;
  for (const { event } of factsByEffectiveDate(timeline, cut)) {
    if (event.type === 'CompanyRegistered') {
      const { companyId, name, headquartersCountry } = event.data;
      company = { companyId, name: company?.name ?? name, headquartersCountry };
    } else if (event.type === 'CompanyRenamed' && company) {
      company.name = event.data.name;
    }
  }
  return company;
};
