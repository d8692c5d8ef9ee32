import {
  anchoredRangeFunctions,
  smoothedRangeFunctions,
  compileLabelJoin,
  compileLabelReplace,
  bucketQuantile,
  bucketFraction,
  elementFunctions,
  elementOutputGuards,
  functionKeepsMetricName,
  functionSignatures,
  quantile,
  rangeFunctions,
} from '../functions';
import type { FunctionLibrary } from './function-library';

/** The function library of libs/promql/src/functions, wired for the engine. */
export const defaultFunctionLibrary: FunctionLibrary = {
  signatures: functionSignatures,
  rangeFunctions,
  anchoredRangeFunctions,
  smoothedRangeFunctions,
  elementFunctions,
  elementGuards: elementOutputGuards,
  keepsMetricName: functionKeepsMetricName,
  compileLabelReplace,
  compileLabelJoin,
  bucketQuantile,
  bucketFraction,
  quantile,
};
