/**
 * Cabildo's public surface, for front ends and channel adapters.
 *
 * @example
 * import { createEngine, openFileStore } from './src/index.js';
 * const store = await openFileStore('data/db.json');
 * const engine = await createEngine({ contentDir: '.', store });
 * const { replies } = await engine.handle({ channel: 'webchat', userId: 'abc', text: 'hola' });
 */
export { createEngine, type Engine, type EngineOptions } from './engine.js';
export { openFileStore, openMemoryStore } from './store/open.js';
export type { ChatConversation, ChatConversations, Store } from './store/port.js';
export { loadContent, type Content } from './content/load.js';
export { CabildoError, ContentError } from './errors.js';
export type { Logger } from './logger.js';
export { KeyedQueue } from './keyed-queue.js';
export * from './types.js';
export { commentRef, parseCommentRef, type CommentRef } from './comment-ref.js';
