import { Source } from '@bsc/domain';

/**
 * The articles in shared/domain/seeds that the OpenAPI examples are taken from. Article addresses are not
 * part of the seed texts, so `url` names the publisher's site rather than a made-up article link.
 */
export const SMM_SOLID_STATE_WEEKLY: Source = {
  publisher: 'SMM',
  title: 'Solid-state battery weekly review, December 26-31, 2025',
  url: 'https://news.metal.com',
  publishedOn: '2026-01-02',
};

export const DIALOGUE_EARTH_ALTERNATIVE_BATTERIES: Source = {
  publisher: 'Dialogue Earth',
  title: 'Where does China stand in the global race for alternative EV batteries?',
  url: 'https://dialogue.earth',
  publishedOn: '2024-07-01',
};

export const SMM_CLNB_2025_INDUSTRY_STATUS: Source = {
  publisher: 'SMM',
  title: "CLNB 2025: current status and trends of China's lithium-ion battery industry",
  url: 'https://news.metal.com',
};
