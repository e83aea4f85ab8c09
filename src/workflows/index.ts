/** The workflows this worker registers. */
export {};
