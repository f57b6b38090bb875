import { StatesError } from '../../integrations.js';

/** The StatesError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function statesError(promise: Promise<unknown>): Promise<StatesError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  throw new Error('expected a StatesError');
}
