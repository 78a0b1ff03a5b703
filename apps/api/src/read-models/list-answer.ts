import { StreamableFile } from '@nestjs/common';
import { ReadModelState, Steps } from '@bsc/projections';
import { JSON_CONTENT_TYPE, jsonStreamInSlices } from '../http/json-in-slices';
import { ProjectionsService } from './projections.service';

/** How long a list (or a replay of one) holds the event loop at a time, computing its answer and then making its JSON text. */
export const LIST_SLICE_MS = 10;

/**
 * A list over every company (or round, or standard): computed in slices with the projection held still
 * (`ProjectionsService.answerInSlices`), then sent as its JSON text is made, between other requests.
 */
export const listInSlices = async <T extends object>(
  projections: ProjectionsService,
  minPosition: number | undefined,
  steps: (state: Readonly<ReadModelState>) => Steps<T>,
): Promise<StreamableFile> => {
  const answer = await projections.answerInSlices(minPosition, steps, LIST_SLICE_MS);
  return new StreamableFile(jsonStreamInSlices(answer, LIST_SLICE_MS), { type: JSON_CONTENT_TYPE });
};
