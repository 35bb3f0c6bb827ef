import type { FastifyInstance } from 'fastify';

/**
 * One group of REST routes. `register` adds the routes to an encapsulated child instance; `app.emu`
 * holds the emulator's state and services.
 */
export interface RouteGroup {
  name: string;
  register: (app: FastifyInstance) => void;
}
