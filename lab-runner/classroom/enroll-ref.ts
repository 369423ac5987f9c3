// What an enroll link's token and a class code look like (validated at the route before any lookup).
/** Letters and digits nobody confuses when reading them off a projector (no 0/O, 1/I/L). */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const SHORT_CODE = /^[A-HJKMNP-Z2-9]{8}$/;
export const ENROLL_TOKEN = /^[A-Za-z0-9_-]{32}$/;
