import type { NodeConnectionType } from 'n8n-workflow';

/**
 * n8n's main connection, as the string every n8n release reads. n8n-workflow's
 * `NodeConnectionTypes.Main` is the same string, but that export is missing before n8n-workflow
 * 1.83 (n8n 1.85), where a node importing it fails to load ("Class could not be found").
 */
export const MAIN_CONNECTION: NodeConnectionType = 'main';
