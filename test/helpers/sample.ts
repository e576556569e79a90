import type { NewProposal } from '../../src/store/port.js';

/** A valid proposal for store-level tests. */
export const sample = (n: number, userKey = 'k'): NewProposal => ({
  title: `Propuesta ${n}`, problem: 'Un problema descrito con detalle suficiente', description: 'Una descripción del compromiso',
  actors: 'Municipalidad', components: 'Actividades y productos', institution: 'Municipalidad', pillars: ['transparency'],
  territory: 'Renca', channel: 'test', userKey, consent: false,
});
