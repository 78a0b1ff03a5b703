import { StreamableFile } from '@nestjs/common';
import { JSON_CONTENT_TYPE, jsonStreamInSlices } from '../http/json-in-slices';

/** A list over every company (or round, or standard) sent as its JSON text is made, between other requests. */
export const listAnswer = (answer: object): StreamableFile => new StreamableFile(jsonStreamInSlices(answer), { type: JSON_CONTENT_TYPE });
