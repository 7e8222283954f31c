import type { Case } from '../case.ts';
import { consumerCases } from './consumers.ts';
import { deadLetterCases } from './deadLetter.ts';
import { deliveryLimitCases } from './deliveryLimit.ts';
import { expiryCases } from './expiry.ts';
import { maxLengthCases } from './maxLength.ts';
import { edgeCases } from './edges.ts';
import { cornerCases } from './more.ts';
import { orderingCases } from './ordering.ts';
import { routingCases } from './routing.ts';

/** Every differential case, in a fixed order; names are unique (checked by the test). */
export const ALL_CASES: readonly Case[] = [
  ...orderingCases,
  ...consumerCases,
  ...deadLetterCases,
  ...expiryCases,
  ...maxLengthCases,
  ...routingCases,
  ...deliveryLimitCases,
  ...cornerCases,
  ...edgeCases,
];
