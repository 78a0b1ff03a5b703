import { DomainEvent } from '@bsc/domain';
import { Cut, EntityTimeline, foldLatestByEffectiveDate, shallowCopy } from '../engine/fact-timeline';

/** A company as known at the cut: registration known at knownAt, latest rename effective ≤ asOf. */
export interface CompanyAt {
  companyId: string;
  name: string;
  headquartersCountry: string;
}

/** Undefined when the registration is not known at knownAt (or was retracted). */
export const companyAt = (timeline: EntityTimeline | undefined, cut: Cut): Readonly<CompanyAt> | undefined =>
  foldLatestByEffectiveDate<CompanyAt | undefined>(timeline, cut, undefined, foldCompany, shallowCopy);

/** One step of `companyAt`: mutates and returns `company` except on a registration, which starts a new object. */
const foldCompany = (company: CompanyAt | undefined, event: DomainEvent): CompanyAt | undefined => {
  if (event.type === 'CompanyRegistered') {
    const { companyId, name, headquartersCountry } = event.data;
    return { companyId, name: company?.name ?? name, headquartersCountry };
  }
  if (event.type === 'CompanyRenamed' && company) company.name = event.data.name;
  return company;
};
