// n8n's own community-node lint configuration (the one `n8n-node lint` applies), unmodified.
import { config } from '@n8n/node-cli/eslint';

export default config;
