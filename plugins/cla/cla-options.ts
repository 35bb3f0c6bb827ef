/** How the cla plugin is set up. */
export interface ClaOptions {
  /** The commit status context the CLA service reports under. */
  context: string;
}

/** The default: the Linux Foundation's EasyCLA (Prow's current default too; older Prow read `cla/linuxfoundation`). */
export const defaultClaOptions: ClaOptions = { context: 'EasyCLA' };
