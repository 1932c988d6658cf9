/**
 * A local Coupa: an HTTP server on 127.0.0.1 that answers as COUPA-API.md says Coupa does.
 *
 *   const coupa = await CoupaSimulator.start();        // seeded, OAuth client and API key ready
 *   coupa.url                                           // http://127.0.0.1:<port>
 *   coupa.apiRequests()                                 // what the node sent, for assertions
 *   coupa.injectFault({ method: 'POST', kind: 'reset' }) // the next POST loses its connection
 *
 * Routes live in `routes()`: one line per Coupa endpoint, each a small handler below it.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { QueryError, applyFilters, applyOrder, applyPaging, shapeRecord } from './query';
import type { SimRecord, SimResource } from './resources';
import { ALL_SCOPES, SIM_RESOURCES, SIM_RESOURCES_BY_PATH } from './resources';
import { STATE_RULES, DELETABLE, validateCreate } from './rules';
import { errorsXml, toXml } from './xml';

export { ALL_SCOPES } from './resources';
export const DEFAULT_CLIENT = { id: 'test-client', secret: 'test-secret-XYZ123' };
export const DEFAULT_API_KEY = 'test-api-key-ABC789';
export const RESOURCE_PATHS = SIM_RESOURCES.map((r) => r.path);
export const BASE_TIME = Date.parse('2024-01-01T00:00:00Z');

export interface SimulatorOptions {
	tokenLifetimeSeconds?: number;
	/** Records per Coupa path; default 137 purchase orders and 12 of every other object. */
	seedCounts?: Partial<Record<string, number>>;
	/** Delay before each API answer, as Coupa's real latency. */
	latencyMs?: number;
	/** Enforce Coupa's rate limit: 25 requests per second with a burst of 20, 429 beyond. */
	rateLimit?: boolean;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	status: number;
	/** Simulator time (ms) when the request arrived. */
	at: number;
}

/** A failure the next matching request(s) meet instead of Coupa's answer. */
export interface Fault {
	method?: string;
	/** Substring or pattern the path must match. */
	path?: string | RegExp;
	/** `status`: answer with it; `reset`: drop the connection after reading the request;
	 *  `hang`: never answer; `malformed`: a 200 whose JSON is cut off; `expireTokens`: every token
	 *  expires just before this request is handled (a token running out mid-listing). */
	kind: 'status' | 'reset' | 'hang' | 'malformed' | 'expireTokens';
	status?: number;
	body?: string;
	headers?: Record<string, string>;
	/** How many requests it hits (default 1). */
	times?: number;
	/** Let this many matching requests through first (default 0). */
	after?: number;
	/** Apply the request's effect before failing (a write that happened though the answer was lost). */
	applyFirst?: boolean;
}

interface Token {
	scopes: Set<string>;
	expiresAt: number;
}

interface Request {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingMessage['headers'];
	body: string;
	json: boolean;
	scopes?: Set<string>;
}

interface Answer {
	status: number;
	body?: unknown;
	/** XML root element name when the client did not ask for JSON. */
	xmlRoot?: string;
	headers?: Record<string, string>;
	raw?: Buffer | string;
}

type Handler = (req: Request, params: string[]) => Answer | Promise<Answer>;

const json = (status: number, body: unknown, xmlRoot = 'response'): Answer => ({ status, body, xmlRoot });
const errors = (status: number, ...messages: string[]): Answer => json(status, { errors: messages }, 'errors');

export class CoupaSimulator {
	readonly log: LoggedRequest[] = [];
	tokenLifetimeSeconds: number;
	latencyMs: number;
	rateLimit: boolean;
	/** Requests answered 429 by the rate limiter. */
	rateLimited = 0;
	/** Called as each request arrives, before it is answered: lets a test change data between two pages. */
	onRequest?: (request: LoggedRequest) => void;

	private server!: Server;
	private readonly extraServers: Server[] = [];
	private port = 0;
	private clock = Date.now();
	private clockFrozen = false;
	private readonly clients = new Map<string, { secret: string; scopes: Set<string> }>();
	private readonly apiKeys = new Map<string, Set<string>>();
	private readonly tokens = new Map<string, Token>();
	/** Authorization codes and refresh tokens of the authorization code grant. */
	private readonly codes = new Map<string, { clientId: string; scopes: string[]; redirectUri: string }>();
	private readonly refreshTokens = new Map<string, { clientId: string; scopes: string[] }>();
	private readonly data = new Map<string, SimRecord[]>();
	private readonly nextIds = new Map<string, number>();
	private readonly faults: Array<Fault & { seen: number; used: number }> = [];
	private readonly sockets = new Set<Socket>();
	private readonly attachments = new Map<string, SimRecord[]>();
	private bucket = { tokens: 20, at: Date.now() };

	private constructor(options: SimulatorOptions) {
		this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 86399;
		this.latencyMs = options.latencyMs ?? 0;
		this.rateLimit = options.rateLimit ?? false;
		this.addClient(DEFAULT_CLIENT.id, DEFAULT_CLIENT.secret, ALL_SCOPES);
		this.addApiKey(DEFAULT_API_KEY);
		for (const resource of SIM_RESOURCES) {
			this.seed(resource.path, options.seedCounts?.[resource.path] ?? (resource.path === 'purchase_orders' ? 137 : 12));
		}
	}

	static async start(options: SimulatorOptions = {}): Promise<CoupaSimulator> {
		const simulator = new CoupaSimulator(options);
		await simulator.listen();
		return simulator;
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	// ---- clock: the tests control time -------------------------------------------------------

	now(): Date {
		return new Date(this.clockFrozen ? this.clock : Date.now());
	}

	setNow(date: Date): void {
		this.clock = date.getTime();
		this.clockFrozen = true;
	}

	advance(ms: number): void {
		this.setNow(new Date(this.now().getTime() + ms));
	}

	// ---- auth ---------------------------------------------------------------------------------

	addClient(clientId: string, secret: string, scopes: string[]): void {
		this.clients.set(clientId, { secret, scopes: new Set(scopes) });
	}

	addApiKey(key: string, scopes: string[] = ALL_SCOPES): void {
		this.apiKeys.set(key, new Set(scopes));
	}

	expireAllTokens(): void {
		for (const token of this.tokens.values()) token.expiresAt = 0;
	}

	// ---- data ---------------------------------------------------------------------------------

	records(path: string): SimRecord[] {
		const records = this.data.get(path);
		if (!records) throw new Error(`The simulator has no ${path}`);
		return records;
	}

	record(path: string, id: number): SimRecord | undefined {
		return this.records(path).find((r) => r.id === id);
	}

	seed(path: string, count: number): void {
		const resource = SIM_RESOURCES_BY_PATH.get(path);
		if (!resource) throw new Error(`Unknown resource ${path}`);
		const at = (minutes: number) => new Date(BASE_TIME + minutes * 60_000).toISOString();
		const records: SimRecord[] = [];
		for (let i = 1; i <= count; i++) {
			records.push({ id: i, 'created-at': at(i), 'updated-at': at(i + (i % 3)), ...resource.seed(i, at) } as SimRecord);
		}
		this.data.set(path, records);
		this.nextIds.set(path, count + 1);
	}

	// ---- the request log ------------------------------------------------------------------------

	clearLog(): void {
		this.log.length = 0;
	}

	apiRequests(): LoggedRequest[] {
		return this.log.filter((r) => r.path.startsWith('/api/'));
	}

	tokenRequests(): LoggedRequest[] {
		return this.log.filter((r) => r.method === 'POST' && r.path === '/oauth2/token');
	}

	injectFault(fault: Fault): void {
		this.faults.push({ ...fault, seen: 0, used: 0 });
	}

	clearFaults(): void {
		this.faults.length = 0;
	}

	async stop(): Promise<void> {
		for (const socket of this.sockets) socket.destroy();
		for (const server of [this.server, ...this.extraServers]) {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	}

	// ---- routing ------------------------------------------------------------------------------

	private routes(): Array<[string, RegExp, Handler]> {
		const R = '([a-z_]+)';
		const ID = '([^/]+)';
		return [
			['POST', /^\/oauth2\/token$/, (req) => this.issueToken(req)],
			['GET', /^\/oauth2\/authorizations\/new$/, (req) => this.consent(req)],
			['GET', new RegExp(`^/api/${R}$`), (req, [path]) => this.list(req, path)],
			['GET', new RegExp(`^/api/invoices/${ID}/(retrieve_image_scan|retrieve_legal_invoice_pdf)$`), (req, [id, what]) => this.invoiceFile(req, id, what)],
			['GET', new RegExp(`^/api/${R}/${ID}/attachments$`), (req, [path, id]) => this.listAttachments(req, path, id)],
			['POST', new RegExp(`^/api/${R}/${ID}/attachments$`), (req, [path, id]) => this.addAttachment(req, path, id)],
			['GET', new RegExp(`^/api/${R}/${ID}$`), (req, [path, id]) => this.show(req, path, id)],
			['POST', /^\/api\/requisitions\/(submit_for_approval|create_as_cart)$/, (req, [action]) => this.createRequisition(req, action)],
			['POST', new RegExp(`^/api/${R}$`), (req, [path]) => this.create(req, path)],
			['PUT', new RegExp(`^/api/${R}/${ID}$`), (req, [path, id]) => this.update(req, path, id)],
			['PATCH', new RegExp(`^/api/${R}/${ID}$`), (req, [path, id]) => this.update(req, path, id)],
			['DELETE', new RegExp(`^/api/${R}/${ID}$`), (req, [path, id]) => this.destroy(req, path, id)],
			['PUT', new RegExp(`^/api/${R}/${ID}/${R}$`), (req, [path, id, action]) => this.act(req, path, id, action)],
		];
	}

	private async listen(): Promise<void> {
		this.server = await this.serve('127.0.0.1');
		this.port = (this.server.address() as AddressInfo).port;
	}

	/** An HTTP server on `host` answering as this Coupa. */
	private async serve(host: string): Promise<Server> {
		const routes = this.routes();
		const server = createServer((incoming, outgoing) => {
			const chunks: Buffer[] = [];
			incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
			incoming.on('end', () => {
				void this.handle(incoming, outgoing, Buffer.concat(chunks), routes);
			});
		});
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, host, resolve);
		});
		return server;
	}

	/**
	 * This Coupa over plain http at another address of this machine, e.g. 127.0.0.2: a host the
	 * node must treat as remote, so tests can prove no secret reaches it. Where the address cannot
	 * be bound (127.0.0.2 is not local on every OS), the URL still names it and nothing answers.
	 */
	async remoteUrl(host = '127.0.0.2'): Promise<string> {
		try {
			const server = await this.serve(host);
			this.extraServers.push(server);
			return `http://${host}:${(server.address() as AddressInfo).port}`;
		} catch {
			return `http://${host}:${this.port}`;
		}
	}

	private async handle(
		incoming: IncomingMessage,
		outgoing: ServerResponse,
		rawBody: Buffer,
		routes: Array<[string, RegExp, Handler]>,
	): Promise<void> {
		const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
		const req: Request = {
			method: incoming.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams.entries()),
			headers: incoming.headers,
			body: rawBody.toString('utf8'),
			json: String(incoming.headers.accept ?? '').includes('application/json'),
		};
		const entry: LoggedRequest = {
			method: req.method,
			path: req.path,
			query: req.query,
			headers: { ...incoming.headers },
			body: req.body,
			status: 0,
			at: this.now().getTime(),
		};
		this.log.push(entry);
		this.onRequest?.(entry);

		if (this.latencyMs > 0 && req.path.startsWith('/api/')) await new Promise((r) => setTimeout(r, this.latencyMs));

		let fault = this.takeFault(req);
		if (fault?.kind === 'expireTokens') {
			this.expireAllTokens();
			fault = undefined;
		}
		if (fault && !fault.applyFirst) return this.fail(fault, entry, outgoing);

		let answer: Answer;
		try {
			answer = this.limitRate(req) ?? this.authorize(req) ?? (await this.route(req, routes));
		} catch (error) {
			answer = error instanceof QueryError ? errors(400, error.message) : errors(500, 'Internal error');
		}
		if (fault) return this.fail(fault, entry, outgoing);
		entry.status = answer.status;
		this.write(outgoing, req, answer);
	}

	private async route(req: Request, routes: Array<[string, RegExp, Handler]>): Promise<Answer> {
		for (const [method, pattern, handler] of routes) {
			const match = req.method === method ? pattern.exec(req.path) : null;
			if (match) return await handler(req, match.slice(1));
		}
		return errors(404, `No route matches ${req.method} ${req.path}`);
	}

	private write(outgoing: ServerResponse, req: Request, answer: Answer): void {
		for (const [name, value] of Object.entries(answer.headers ?? {})) outgoing.setHeader(name, value);
		if (answer.raw !== undefined) {
			outgoing.statusCode = answer.status;
			outgoing.end(answer.raw);
			return;
		}
		// A list with no match is `[]` in JSON but a 404 in XML.
		if (!req.json && Array.isArray(answer.body) && answer.body.length === 0) {
			answer = errors(404, 'No records found');
		}
		outgoing.statusCode = answer.status;
		if (req.json || !req.path.startsWith('/api/')) {
			outgoing.setHeader('Content-Type', 'application/json; charset=utf-8');
			outgoing.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
		} else {
			outgoing.setHeader('Content-Type', 'application/xml; charset=utf-8');
			const body = answer.body as { errors?: string[] } | undefined;
			outgoing.end(
				answer.xmlRoot === 'errors' && body?.errors ? errorsXml(body.errors) : toXml(answer.xmlRoot ?? 'response', answer.body),
			);
		}
	}

	// ---- faults, rate limit, auth -----------------------------------------------------------------

	private takeFault(req: Request): (Fault & { seen: number; used: number }) | undefined {
		for (const fault of this.faults) {
			if (fault.method && fault.method !== req.method) continue;
			if (fault.path && !(typeof fault.path === 'string' ? req.path.includes(fault.path) : fault.path.test(req.path))) continue;
			if (fault.used >= (fault.times ?? 1)) continue;
			fault.seen++;
			if (fault.seen <= (fault.after ?? 0)) continue;
			fault.used++;
			return fault;
		}
		return undefined;
	}

	private fail(fault: Fault, entry: LoggedRequest, outgoing: ServerResponse): void {
		if (fault.kind === 'reset') {
			entry.status = -1;
			outgoing.socket?.destroy();
			return;
		}
		if (fault.kind === 'hang') {
			entry.status = -2;
			return;
		}
		if (fault.kind === 'malformed') {
			entry.status = 200;
			outgoing.setHeader('Content-Type', 'application/json');
			outgoing.end('[{"id": 1, "status": "iss');
			return;
		}
		entry.status = fault.status ?? 500;
		outgoing.statusCode = entry.status;
		for (const [name, value] of Object.entries(fault.headers ?? {})) outgoing.setHeader(name, value);
		outgoing.setHeader('Content-Type', 'application/json');
		outgoing.end(fault.body ?? JSON.stringify({ errors: [`Simulated ${entry.status}`] }));
	}

	/** Token bucket: 25 requests per second, at most 20 at once. */
	private limitRate(req: Request): Answer | undefined {
		if (!this.rateLimit || !req.path.startsWith('/api/')) return undefined;
		const now = Date.now();
		this.bucket.tokens = Math.min(20, this.bucket.tokens + ((now - this.bucket.at) / 1000) * 25);
		this.bucket.at = now;
		if (this.bucket.tokens >= 1) {
			this.bucket.tokens -= 1;
			return undefined;
		}
		this.rateLimited++;
		return errors(429, 'Rate limit exceeded');
	}

	private authorize(req: Request): Answer | undefined {
		if (!req.path.startsWith('/api/')) return undefined;
		const key = req.headers['x-coupa-api-key'];
		const bearer = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
		if (typeof key === 'string' && this.apiKeys.has(key)) {
			req.scopes = this.apiKeys.get(key);
		} else if (bearer) {
			const token = this.tokens.get(bearer);
			if (token && token.expiresAt > this.now().getTime()) req.scopes = token.scopes;
		}
		if (!req.scopes) return errors(401, 'Authentication failed. Access token is invalid or expired');
		const [, , path, , action] = req.path.split('/');
		const resource = SIM_RESOURCES_BY_PATH.get(path);
		if (resource) {
			const call = action ? `${req.method} ${action}` : req.method;
			const needed = resource.callScopes?.[call] ?? [`${resource.scope}.${req.method === 'GET' ? 'read' : 'write'}`];
			if (!needed.some((scope) => req.scopes?.has(scope))) return errors(403, `Access denied. Missing scope ${needed.join(' or ')}`);
		}
		return undefined;
	}

	private issueToken(req: Request): Answer {
		if (!String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
			return json(400, { error: 'invalid_request' });
		}
		const form = new URLSearchParams(req.body);
		const basic = /^Basic (.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
		const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':') : [];
		const clientId = form.get('client_id') ?? basicId;
		const secret = form.get('client_secret') ?? basicSecret;
		const grant = form.get('grant_type');
		const client = clientId ? this.clients.get(clientId) : undefined;
		if (!client || client.secret !== secret) return json(400, { error: 'invalid_client' });
		let requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
		if (grant === 'authorization_code') {
			const code = this.codes.get(form.get('code') ?? '');
			this.codes.delete(form.get('code') ?? '');
			if (!code || code.clientId !== clientId || code.redirectUri !== form.get('redirect_uri')) return json(400, { error: 'invalid_grant' });
			requested = code.scopes;
		} else if (grant === 'refresh_token') {
			const refresh = this.refreshTokens.get(form.get('refresh_token') ?? '');
			if (!refresh || refresh.clientId !== clientId) return json(400, { error: 'invalid_grant' });
			requested = refresh.scopes;
		} else if (grant !== 'client_credentials') {
			return json(400, { error: 'unsupported_grant_type' });
		}
		if (requested.some((scope) => !client.scopes.has(scope))) return json(400, { error: 'invalid_scope' });
		const scopes = new Set(requested.length ? requested : client.scopes);
		const accessToken = randomBytes(18).toString('hex');
		this.tokens.set(accessToken, { scopes, expiresAt: this.now().getTime() + this.tokenLifetimeSeconds * 1000 });
		const answer: Record<string, unknown> = {
			access_token: accessToken,
			token_type: 'bearer',
			expires_in: this.tokenLifetimeSeconds,
			scope: [...scopes].join(' '),
		};
		// A person's sign-in with offline_access can be renewed without them.
		if (grant !== 'client_credentials' && scopes.has('offline_access')) {
			const refreshToken = form.get('refresh_token') ?? randomBytes(18).toString('hex');
			this.refreshTokens.set(refreshToken, { clientId: clientId as string, scopes: [...scopes] });
			answer.refresh_token = refreshToken;
		}
		return json(200, answer);
	}

	/** The consent page: the simulated user always agrees and is sent back with a code. */
	private consent(req: Request): Answer {
		const { client_id: clientId, redirect_uri: redirectUri, state, scope } = req.query;
		if (!clientId || !this.clients.has(clientId) || !redirectUri) return json(400, { error: 'invalid_request' });
		const code = randomBytes(12).toString('hex');
		this.codes.set(code, { clientId, scopes: (scope ?? '').split(/\s+/).filter(Boolean), redirectUri });
		const location = new URL(redirectUri);
		location.searchParams.set('code', code);
		if (state) location.searchParams.set('state', state);
		return { status: 302, raw: '', headers: { Location: location.toString() } };
	}

	// ---- reads ----------------------------------------------------------------------------------

	private resource(path: string): SimResource | undefined {
		return SIM_RESOURCES_BY_PATH.get(path);
	}

	private find(path: string, id: string): SimRecord | undefined {
		return /^\d+$/.test(id) ? this.record(path, Number(id)) : undefined;
	}

	private list(req: Request, path: string): Answer {
		const resource = this.resource(path);
		if (!resource) return errors(404, `Unknown resource ${path}`);
		const selected = applyPaging(applyOrder(applyFilters(this.records(path), req.query), req.query), req.query);
		return json(200, selected.map((r) => shapeRecord(r, req.query)), `${resource.element}s`);
	}

	private show(req: Request, path: string, id: string): Answer {
		const resource = this.resource(path);
		const record = resource && this.find(path, id);
		if (!resource || !record) return errors(404, 'Record not found');
		return json(200, shapeRecord(record, req.query), resource.element);
	}

	// ---- writes ---------------------------------------------------------------------------------

	/**
	 * The JSON body with Coupa's hyphenated names (it accepts underscores too), or the refusal to
	 * answer: a body not declared as JSON is not read as JSON (415), whatever it looks like.
	 */
	private parseBody(req: Request): { body: Record<string, unknown> } | { refusal: Answer } {
		if (req.body !== '' && !String(req.headers['content-type'] ?? '').includes('application/json')) {
			return { refusal: errors(415, 'Unsupported media type: send the body as JSON with Content-Type: application/json') };
		}
		let body: unknown;
		try {
			body = JSON.parse(req.body || '{}');
		} catch {
			return { refusal: errors(400, 'Body is not valid JSON') };
		}
		if (body === null || typeof body !== 'object' || Array.isArray(body)) {
			return { refusal: errors(400, 'Body must be a JSON object') };
		}
		return { body: Object.fromEntries(Object.entries(body).map(([k, v]) => [k.replace(/_/g, '-'), v])) };
	}

	private answerWrite(req: Request, resource: SimResource, record: SimRecord, status = 200): Answer {
		if (req.query.return_object === 'none') return { status, raw: '' };
		return json(status, shapeRecord(record, req.query), resource.element);
	}

	private create(req: Request, path: string): Answer {
		const resource = this.resource(path);
		if (!resource) return errors(404, `Unknown resource ${path}`);
		const parsed = this.parseBody(req);
		if ('refusal' in parsed) return parsed.refusal;
		const problems = validateCreate(path, parsed.body, this.records(path));
		if (problems.length) return json(400, { errors: { [resource.element.replace(/-/g, '_')]: problems } }, 'errors');
		return this.answerWrite(req, resource, this.insert(path, parsed.body), 201);
	}

	insert(path: string, attributes: Record<string, unknown>): SimRecord {
		const id = this.nextIds.get(path) ?? 1;
		this.nextIds.set(path, id + 1);
		const now = this.now().toISOString();
		const record = { ...attributes, id, 'created-at': now, 'updated-at': now } as SimRecord;
		this.records(path).push(record);
		return record;
	}

	private update(req: Request, path: string, id: string): Answer {
		const resource = this.resource(path);
		const record = resource && this.find(path, id);
		if (!resource || !record) return errors(404, 'Record not found');
		// Compass: `?exported=true|false` is a request of its own; `exported` in a body is read-only.
		if (req.query.exported !== undefined) {
			record.exported = req.query.exported === 'true';
			return this.answerWrite(req, resource, record);
		}
		const parsed = this.parseBody(req);
		if ('refusal' in parsed) return parsed.refusal;
		const { exported: _readOnly, ...body } = parsed.body;
		const changes = Object.keys(body);
		Object.assign(record, body, { id: record.id, 'updated-at': this.now().toISOString() });
		// A changed purchase order is a new version, which Coupa must export again.
		if (path === 'purchase_orders' && changes.length) {
			record.version = Number(record.version ?? 1) + 1;
			record.exported = false;
		}
		return this.answerWrite(req, resource, record);
	}

	private destroy(req: Request, path: string, id: string): Answer {
		const resource = this.resource(path);
		const record = resource && this.find(path, id);
		if (!resource || !record) return errors(404, 'Record not found');
		if (!DELETABLE.has(path)) return errors(404, `No route matches DELETE /api/${path}/${id}`);
		if (path === 'invoices' && record.status !== 'new') {
			return json(400, { errors: { invoice_header: [`Only a new invoice can be deleted; this one is ${String(record.status)}`] } }, 'errors');
		}
		this.records(path).splice(this.records(path).indexOf(record), 1);
		return this.answerWrite(req, resource, record);
	}

	private act(req: Request, path: string, id: string, action: string): Answer {
		const resource = this.resource(path);
		const rule = STATE_RULES[path]?.[action];
		if (!resource || !rule) return errors(404, `No route matches PUT /api/${path}/${id}/${action}`);
		const record = this.find(path, id);
		if (!record) return errors(404, 'Record not found');
		const from = String(record.status ?? '');
		if (rule.from && !rule.from.includes(from)) {
			return json(400, { errors: { [resource.element.replace(/-/g, '_')]: [`Cannot ${action.replace(/_/g, ' ')} ${/^[aeiou]/.test(resource.element) ? 'an' : 'a'} ${resource.element.replace(/-/g, ' ')} that is ${from}`] } }, 'errors');
		}
		const parsed = this.parseBody(req);
		if ('refusal' in parsed) return parsed.refusal;
		if (rule.to) record.status = rule.to;
		// Compass (Approvals API): a rejection's reason is a query parameter.
		if (req.query.reason !== undefined) record['reason'] = req.query.reason;
		record['updated-at'] = this.now().toISOString();
		return this.answerWrite(req, resource, record);
	}

	private createRequisition(req: Request, action: string): Answer {
		const resource = this.resource('requisitions') as SimResource;
		const parsed = this.parseBody(req);
		if ('refusal' in parsed) return parsed.refusal;
		const problems = validateCreate('requisitions', parsed.body, []);
		if (problems.length) return json(400, { errors: { requisition_header: problems } }, 'errors');
		const status = action === 'submit_for_approval' ? 'pending_approval' : 'cart';
		return this.answerWrite(req, resource, this.insert('requisitions', { ...parsed.body, status, exported: false }), 201);
	}

	// ---- attachments and files ------------------------------------------------------------------

	private listAttachments(req: Request, path: string, id: string): Answer {
		if (!this.find(path, id)) return errors(404, 'Record not found');
		return json(200, this.attachments.get(`${path}/${id}`) ?? [], 'attachments');
	}

	private addAttachment(req: Request, path: string, id: string): Answer {
		if (!this.find(path, id)) return errors(404, 'Record not found');
		const type = String(req.headers['content-type'] ?? '');
		if (!type.startsWith('multipart/form-data')) return errors(400, 'Attachments must be sent as multipart/form-data');
		const field = (name: string) => new RegExp(`name="attachment\\[${name}\\]"(?:; filename="([^"]*)")?\\r\\n(?:Content-Type: [^\\r]*\\r\\n)?\\r\\n([\\s\\S]*?)\\r\\n--`).exec(req.body);
		const file = field('file');
		const kind = field('type')?.[2] ?? 'file';
		const list = this.attachments.get(`${path}/${id}`) ?? [];
		const attachment: SimRecord = {
			id: list.length + 1,
			type: kind,
			'file-name': file?.[1] ?? null,
			'file-size': file ? Buffer.byteLength(file[2]) : 0,
			url: field('url')?.[2] ?? null,
			text: field('text')?.[2] ?? null,
			intent: field('intent')?.[2] ?? 'Internal',
			'created-at': this.now().toISOString(),
		};
		list.push(attachment);
		this.attachments.set(`${path}/${id}`, list);
		return json(201, attachment, 'attachment');
	}

	private invoiceFile(req: Request, id: string, what: string): Answer {
		if (!this.find('invoices', id)) return errors(404, 'Record not found');
		const text = `%PDF-1.4\n% ${what} of invoice ${id}\n%%EOF\n`;
		return { status: 200, raw: Buffer.from(text), headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="invoice-${id}.pdf"` } };
	}
}
