/**
 * GitHub's limits, in the strictest unit: `summary` and `text` are bounded to
 * 65,535 bytes of UTF-8, which also bounds their UTF-16 length and character
 * count (each is ≤ the byte count), whichever GitHub happens to count.
 */
export const OUTPUT_TEXT_LIMIT = 65_535;
export const ANNOTATION_MESSAGE_LIMIT = 65_535;
export const TITLE_LIMIT = 255;
export const DEFAULT_MAX_ANNOTATIONS = 1000;
export const ANNOTATIONS_PER_REQUEST = 50;
