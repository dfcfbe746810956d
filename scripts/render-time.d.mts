/** The time every example is rendered at (make render's --fixed-time, and the golden responses). */
export const RENDER_TIME: string;
