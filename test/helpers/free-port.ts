/** A free loopback port, for a server whose URL must be known before it starts: the benchmark's one function. */
export { freePort } from '../../bench/children.js';
