import type { EmulatorState } from '../state/state.ts';
import type { Urls } from './urls.ts';

/** What every serializer needs: the state to follow ids through, and the emulator's own base URL. */
export interface RenderContext {
  state: EmulatorState;
  urls: Urls;
}
