// LaunchConfigError: a launch configuration the user must fix, naming the launch.json field and the fix.

export class LaunchConfigError extends Error {
  override readonly name = 'LaunchConfigError';
  /** The launch.json field at fault, as a path: "program", "env", "preopens[1].host", "files[\"/a\"]"; "" for the whole configuration. */
  readonly field: string;

  /** `problem` says what is wrong and how to fix it; the message is prefixed with "launch.json <field>: ". */
  constructor(field: string, problem: string, options?: { cause?: unknown }) {
    super(field === '' ? `launch.json: ${problem}` : `launch.json ${field}: ${problem}`, options);
    this.field = field;
  }
}
