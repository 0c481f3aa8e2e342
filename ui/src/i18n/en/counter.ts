/** The counter's texts (English). */
export const counter = {} as const;
