/** Allowed characters of a target name: the targets file and every input that names a target. */
export const TARGET_NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
