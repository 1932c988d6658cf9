/**
 * A local Coupa: an HTTP server on 127.0.0.1 that answers every path of Coupa's R39 specs as
 * Compass and COUPA-API.md say Coupa does.
 *
 *   const coupa = await CoupaSimulator.start();        // seeded, OAuth client and API key ready
 *   coupa.url                                           // http://127.0.0.1:<port>
 *   coupa.apiRequests()                                 // what the node sent, for assertions
 *   coupa.injectFault({ method: 'POST', kind: 'reset' }) // the next POST loses its connection
 *   coupa.records('suppliers/3/addresses')              // a collection, seeded on first use
 *
 * Paths, verbs and record shapes come from the digest of the specs (resources.ts, records.ts);
 * what Coupa does beyond them (scopes, state changes, validation) is hand-written in rules.ts.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import type { DigestField } from '../../nodes/shared/schema/digest';
import { schemaFields } from '../../nodes/shared/schema/digest';
import { idsOf } from './idShapes';
import type { SimField } from './facts';
import type { FieldSpec } from './query';
import {
	QueryError,
	applyFilters,
	applyOrder,
	applyPaging,
	parseFields,
	pickFields,
	shapeRecord,
} from './query';
import type { SimRecord } from './records';
import {
	blankRecord,
	compactRecord,
	coupaTime,
	record as generate,
	isNaturalKey,
	reference,
	sampleValue,
} from './records';
import type { SimType } from './resources';
import { ALL_SCOPES, COLLECTIONS, ROUTES, SEED_OVERRIDES, SIM_TYPES, scopesFor } from './resources';
import {
	CREATING_ACTIONS,
	DOCUMENTED_CREATE,
	FILE_LOAD_ACTIONS,
	INITIAL_STATUS,
	LOAD_STEPS,
	finishedLoad,
	STATE_RULES,
	invalidValues,
	isNewVersion,
	labelOf,
	refuseCreate,
	refuseDelete,
	validateCreate,
} from './rules';
import { errorsXml, toXml } from './xml';

export { ALL_SCOPES, RESOURCE_PATHS, SIM_TYPES } from './resources';
export { BASE_TIME, coupaTime } from './records';
export const DEFAULT_CLIENT = { id: 'test-client', secret: 'test-secret-XYZ123' };
export const DEFAULT_API_KEY = 'test-api-key-ABC789';
/** The user the API acts as: `created-by` and `updated-by` of what the API writes. */
const API_USER = 1;

export interface SimulatorOptions {
	tokenLifetimeSeconds?: number;
	/**
	 * Records per collection, by path (`suppliers`, or a nested one as `suppliers/{supplier_id}/addresses`
	 * or `suppliers/3/addresses`); default 137 purchase orders, 12 of every other object and 3 in
	 * each nested collection. Collections are seeded on first use, so starting stays fast.
	 */
	seedCounts?: Partial<Record<string, number>>;
	/**
	 * `full` (default): records as large and deep as real ones (a supplier is ~18 KB of JSON).
	 * `compact`: every field, references as id and natural keys, lists empty (~3 KB for an order),
	 * for listings of tens of thousands of records.
	 */
	recordDetail?: 'full' | 'compact';
	/** Delay before each API answer, as Coupa's real latency. */
	latencyMs?: number;
	/** Enforce Coupa's rate limit: 25 requests per second with a burst of 20, 429 beyond. */
	rateLimit?: boolean;
	/**
	 * The ids of seeded top-level collections, as a shape (idShapes.ts: `stragglers:0.01`,
	 * `clusters:2`...): what a filtered export meets. Default dense, 1..n.
	 */
	idShape?: string;
}

export interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** The query string as sent (`?a=1&a=2`), where repeated or odd keys show. */
	search: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	status: number;
	/** Simulator time (ms) when the request arrived. */
	at: number;
	/** The client's TCP port: tells which process sent it (test/coupa-simulator/serve.ts). */
	remotePort?: number;
}

/** A failure the next matching request(s) meet instead of Coupa's answer. */
export interface Fault {
	method?: string;
	/** Substring or pattern the path must match. */
	path?: string | RegExp;
	/** `status`: answer with it; `reset`: drop the connection after reading the request;
	 *  `hang`: never answer; `malformed`: a 200 whose JSON is cut off; `expireTokens`: every token
	 *  expires just before this request is handled (a token running out mid-listing); `delay`:
	 *  handled as usual after `delayMs`, its token checked only then (one slow call among many). */
	kind: 'status' | 'reset' | 'hang' | 'malformed' | 'expireTokens' | 'delay';
	delayMs?: number;
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
	raw: Buffer;
	json: boolean;
	scopes?: Set<string>;
}

interface Collection {
	type: SimType;
	records: SimRecord[];
	nextId: number;
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

/** The top-level collection of each schema's records (`Supplier` → `suppliers`), where references point. */
const TOP_COLLECTION = new Map<string, string>();
for (const type of SIM_TYPES)
	if (!type.parentCollection && !TOP_COLLECTION.has(type.schema))
		TOP_COLLECTION.set(type.schema, type.resource.path);

/** GET actions that answer a file rather than a record. */
const FILE_ACTION = /^(retrieve_|image$|download$|avatar$)/;

const json = (status: number, body: unknown, xmlRoot = 'response'): Answer => ({
	status,
	body,
	xmlRoot,
});
const errors = (status: number, ...messages: string[]): Answer =>
	json(status, { errors: messages }, 'errors');

export class CoupaSimulator {
	readonly log: LoggedRequest[] = [];
	tokenLifetimeSeconds: number;
	latencyMs: number;
	rateLimit: boolean;
	/** Requests answered 429 by the rate limiter. */
	rateLimited = 0;
	/** Called as each request arrives, before it is answered: lets a test change data between two pages. */
	onRequest?: (request: LoggedRequest) => void;
	/** Replaces a list's answer: lets a test play a server that ignores paging parameters. */
	rewriteList?: (answer: SimRecord[], query: Record<string, string>, path: string) => SimRecord[];

	private server!: Server;
	private readonly extraServers: Server[] = [];
	private port = 0;
	private clock = Date.now();
	private clockFrozen = false;
	private readonly clients = new Map<string, { secret: string; scopes: Set<string> }>();
	private readonly apiKeys = new Map<string, Set<string>>();
	private readonly tokens = new Map<string, Token>();
	/** Authorization codes and refresh tokens of the authorization code grant. */
	private readonly codes = new Map<
		string,
		{ clientId: string; scopes: string[]; redirectUri: string }
	>();
	private readonly refreshTokens = new Map<string, { clientId: string; scopes: string[] }>();
	private readonly collections = new Map<string, Collection>();
	private readonly seedCounts: Partial<Record<string, number>>;
	private readonly recordDetail: 'full' | 'compact';
	private readonly idShape: string | undefined;
	/** Admin-defined API response filters: by name (`filter=`), and the default per collection. */
	private readonly responseFilters = new Map<string, FieldSpec>();
	private readonly defaultFilters = new Map<string, FieldSpec>();
	private readonly faults: Array<Fault & { seen: number; used: number }> = [];
	private readonly sockets = new Set<Socket>();
	private bucket = { tokens: 20, at: Date.now() };
	/** Rows of the loads started through the API that will be rejected, by data file source id. */
	private readonly failingLoads = new Map<number, number[]>();
	private nextLoadRejects: number[] = [];

	private constructor(options: SimulatorOptions) {
		this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 86399;
		this.latencyMs = options.latencyMs ?? 0;
		this.rateLimit = options.rateLimit ?? false;
		this.addClient(DEFAULT_CLIENT.id, DEFAULT_CLIENT.secret, ALL_SCOPES);
		this.addApiKey(DEFAULT_API_KEY);
		this.seedCounts = options.seedCounts ?? {};
		this.recordDetail = options.recordDetail ?? 'full';
		this.idShape = options.idShape;
		// Collections a test sizes are made now, so their making is not timed with the first request.
		for (const [path, count] of Object.entries(this.seedCounts)) {
			if (count !== undefined && !path.includes('{')) this.seed(path, count);
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

	/** The records of a collection (`purchase_orders`, `suppliers/3/addresses`), seeded on first use. */
	records(path: string): SimRecord[] {
		const collection = this.collection(path);
		if (!collection) throw new Error(`The simulator has no ${path}`);
		return collection.records;
	}

	record(path: string, id: number): SimRecord | undefined {
		return this.collection(path)?.records.find((r) => r.id === id);
	}

	/**
	 * Replaces a collection with `count` seed records, deterministic: record `i` is always the
	 * same. A nested collection's ids start at its parent's id times 100 (`suppliers/3/addresses`
	 * holds 301, 302...), so an address asked for under the wrong supplier is not found.
	 */
	seed(path: string, count: number): void {
		const match = COLLECTIONS.match(path);
		if (!match) throw new Error(`Unknown collection ${path}`);
		const type = match.value;
		const parentId = type.parentCollection
			? Number(path.split('/')[type.parentCollection.split('/').length])
			: 0;
		const first = parentId * 100;
		const overrides = SEED_OVERRIDES[path];
		const records: SimRecord[] = [];
		// A shape renumbers the records of a top-level collection; their content stays record i's.
		const ids = this.idShape && !type.parentCollection ? idsOf(this.idShape, count) : undefined;
		for (let i = 1; i <= count; i++) {
			const record =
				this.recordDetail === 'full'
					? generate(type.schema, first + i)
					: compactRecord(type.schema, first + i);
			if (overrides) Object.assign(record, overrides(first + i));
			if (ids) record.id = ids[i - 1];
			records.push(record);
		}
		this.collections.set(path, {
			type,
			records,
			nextId: (ids ? (ids[count - 1] ?? 0) : first + count) + 1,
		});
	}

	/**
	 * A body Coupa accepts for a new record of the collection: every field the spec requires,
	 * with values of the right types. Tests start from it and add what they check.
	 */
	sampleBody(path: string, i = 900): Record<string, unknown> {
		const type = COLLECTIONS.match(path)?.value;
		if (!type) throw new Error(`Unknown collection ${path}`);
		const body: Record<string, unknown> = { ...DOCUMENTED_CREATE[type.resource.path] };
		for (const field of type.required)
			body[field.name] = field.allowed?.[0] ?? sampleValue(type.schema, field, i);
		return body;
	}

	/** The next file load started through the API rejects these rows and ends Failed. */
	rejectRowsOfNextLoad(rows: number[]): void {
		this.nextLoadRejects = rows;
	}

	/** Sets up an admin-defined API response filter, picked with `filter=<name>`. */
	addResponseFilter(name: string, fields: FieldSpec): void {
		this.responseFilters.set(name, fields);
	}

	/** Sets (or with no fields, clears) the admin's default response filter of a collection. */
	setDefaultFilter(path: string, fields?: FieldSpec): void {
		if (fields) this.defaultFilters.set(path, fields);
		else this.defaultFilters.delete(path);
	}

	private fields(type: SimType): SimField[] {
		return type.fields;
	}

	/** The collection at a concrete path; a nested one exists only under a parent record that does. */
	private collection(path: string): Collection | undefined {
		const existing = this.collections.get(path);
		if (existing) return existing;
		const match = COLLECTIONS.match(path);
		if (!match) return undefined;
		const type = match.value;
		if (type.parentCollection) {
			const depth = type.parentCollection.split('/').length;
			const parentPath = path.split('/').slice(0, depth).join('/');
			const parentId = path.split('/')[depth];
			if (!this.parentExists(parentPath, parentId)) return undefined;
		}
		const template = type.resource.path;
		const count =
			this.seedCounts[path] ??
			this.seedCounts[template] ??
			(type.parentCollection ? 3 : template === 'purchase_orders' ? 137 : 12);
		this.seed(path, count);
		return this.collections.get(path);
	}

	/** Parents outside the specs' collections (`charges`, `requisition_lines`) exist for the first ids. */
	private parentExists(parentPath: string, id: string): boolean {
		if (!/^\d+$/.test(id)) return false;
		if (!COLLECTIONS.match(parentPath)) return Number(id) >= 1 && Number(id) <= 12;
		return this.record(parentPath, Number(id)) !== undefined;
	}

	/** A record made through the API: the schema's fields, then the body, stamped by Coupa. */
	insert(path: string, attributes: Record<string, unknown>): SimRecord {
		const collection = this.collection(path);
		if (!collection) throw new Error(`The simulator has no ${path}`);
		const id = collection.nextId++;
		const fields = this.fields(collection.type);
		const has = (name: string) => fields.some((f) => f.name === name);
		const now = coupaTime(this.now().getTime());
		const stamps: Record<string, unknown> = {};
		if (has('created-at')) stamps['created-at'] = now;
		if (has('updated-at')) stamps['updated-at'] = now;
		if (has('created-by')) stamps['created-by'] = reference('UserSimple', API_USER);
		if (has('updated-by')) stamps['updated-by'] = reference('UserSimple', API_USER);
		const status = INITIAL_STATUS[path];
		// `id` first, as Coupa writes it; the body cannot set it.
		const record = {
			id,
			...blankRecord(collection.type.schema),
			...(status ? { status } : {}),
			...attributes,
			...stamps,
		} as SimRecord;
		record.id = id;
		collection.records.push(record);
		return record;
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

	/** Sign-in routes; everything under `/api/` is routed from the digest (`apiRoute`). */
	private routes(): Array<[string, RegExp, Handler]> {
		return [
			['POST', /^\/oauth2\/token$/, (req) => this.issueToken(req)],
			['GET', /^\/oauth2\/authorizations\/new$/, (req) => this.consent(req)],
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
			raw: rawBody,
			json: String(incoming.headers.accept ?? '').includes('application/json'),
		};
		const entry: LoggedRequest = {
			method: req.method,
			path: req.path,
			query: req.query,
			search: url.search,
			headers: { ...incoming.headers },
			body: req.body,
			status: 0,
			at: this.now().getTime(),
			remotePort: incoming.socket.remotePort,
		};
		this.log.push(entry);
		this.onRequest?.(entry);
		// Coupa's clock, which the trigger trusts over its own: the simulated one, not this machine's.
		outgoing.setHeader('Date', this.now().toUTCString());

		if (this.latencyMs > 0 && req.path.startsWith('/api/'))
			await new Promise((r) => setTimeout(r, this.latencyMs));

		let fault = this.takeFault(req);
		if (fault?.kind === 'expireTokens') {
			this.expireAllTokens();
			fault = undefined;
		}
		if (fault?.kind === 'delay') {
			await new Promise((r) => setTimeout(r, fault?.delayMs ?? 0));
			fault = undefined;
		}
		if (fault && !fault.applyFirst) return this.fail(fault, entry, outgoing);

		let answer: Answer;
		try {
			answer = this.limitRate(req) ?? this.authorize(req) ?? (await this.route(req, routes));
		} catch (error) {
			answer =
				error instanceof QueryError ? errors(400, error.message) : errors(500, 'Internal error');
		}
		if (fault) return this.fail(fault, entry, outgoing);
		entry.status = answer.status;
		this.write(outgoing, req, answer);
	}

	private async route(req: Request, routes: Array<[string, RegExp, Handler]>): Promise<Answer> {
		if (req.path.startsWith('/api/')) return this.apiRoute(req);
		for (const [method, pattern, handler] of routes) {
			const match = req.method === method ? pattern.exec(req.path) : null;
			if (match) return await handler(req, match.slice(1));
		}
		return errors(404, `No route matches ${req.method} ${req.path}`);
	}

	/** An API call: the operation of the spec it names, the scopes it needs, then its handler. */
	private apiRoute(req: Request): Answer {
		const path = req.path.slice('/api/'.length).replace(/\/+$/, '');
		const match = ROUTES.match(path, (route) => route.method === req.method);
		if (!match) return errors(404, `No route matches ${req.method} ${req.path}`);
		const route = match.value;
		const needed = scopesFor(req.method, route);
		if (!needed.some((scope) => req.scopes?.has(scope)))
			return errors(403, `Access denied. Missing scope ${needed.join(' or ')}`);
		const { id, ...params } = match.params;
		// The concrete collection: the route's collection template with this request's parent ids.
		const collectionPath = route.type.resource.path.replace(
			/\{([^}]+)\}/g,
			(_, name: string) => params[name] ?? '',
		);
		const collection = this.collection(collectionPath);
		if (!collection) return errors(404, 'Record not found');
		const { operation } = route;
		const action = operation.action ?? '';
		switch (operation.kind) {
			case 'collection':
				if (req.method === 'GET') return this.list(req, collectionPath, collection);
				return this.create(
					req,
					collectionPath,
					collection,
					operation.form !== undefined || collection.type.schema === 'Attachment',
				);
			case 'collectionAction':
				return this.collectionAction(req, collectionPath, collection, action);
			default: {
				const record = this.find(collection, id);
				if (!record) return errors(404, 'Record not found');
				if (operation.kind === 'member') {
					if (req.method === 'GET') return this.show(req, collectionPath, collection, record);
					if (req.method === 'DELETE') return this.destroy(req, collectionPath, collection, record);
					return this.update(req, collectionPath, collection, record);
				}
				if (req.method === 'GET')
					return FILE_ACTION.test(action)
						? this.file(collection, record, action)
						: this.show(req, collectionPath, collection, record);
				if (operation.form) return this.upload(req, collection, record, operation.form);
				return this.act(req, collectionPath, collection, record, action);
			}
		}
	}

	private write(outgoing: ServerResponse, req: Request, answer: Answer): void {
		for (const [name, value] of Object.entries(answer.headers ?? {}))
			outgoing.setHeader(name, value);
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
			// Errors are a list, or lists by object (`{"errors": {"supplier": [...]}}`); XML has one list.
			const listed = (answer.body as { errors?: string[] | Record<string, string[]> } | undefined)
				?.errors;
			const messages = Array.isArray(listed) ? listed : Object.values(listed ?? {}).flat();
			outgoing.end(
				answer.xmlRoot === 'errors' && listed
					? errorsXml(messages)
					: toXml(answer.xmlRoot ?? 'response', answer.body),
			);
		}
	}

	// ---- faults, rate limit, auth -----------------------------------------------------------------

	private takeFault(req: Request): (Fault & { seen: number; used: number }) | undefined {
		for (const fault of this.faults) {
			if (fault.method && fault.method !== req.method) continue;
			if (
				fault.path &&
				!(typeof fault.path === 'string'
					? req.path.includes(fault.path)
					: fault.path.test(req.path))
			)
				continue;
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
		for (const [name, value] of Object.entries(fault.headers ?? {}))
			outgoing.setHeader(name, value);
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
		if (!req.scopes)
			return errors(401, 'Authentication failed. Access token is invalid or expired');
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
			if (!code || code.clientId !== clientId || code.redirectUri !== form.get('redirect_uri'))
				return json(400, { error: 'invalid_grant' });
			requested = code.scopes;
		} else if (grant === 'refresh_token') {
			const refresh = this.refreshTokens.get(form.get('refresh_token') ?? '');
			if (!refresh || refresh.clientId !== clientId) return json(400, { error: 'invalid_grant' });
			requested = refresh.scopes;
		} else if (grant !== 'client_credentials') {
			return json(400, { error: 'unsupported_grant_type' });
		}
		if (requested.some((scope) => !client.scopes.has(scope)))
			return json(400, { error: 'invalid_scope' });
		const scopes = new Set(requested.length ? requested : client.scopes);
		const accessToken = randomBytes(18).toString('hex');
		this.tokens.set(accessToken, {
			scopes,
			expiresAt: this.now().getTime() + this.tokenLifetimeSeconds * 1000,
		});
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
		if (!clientId || !this.clients.has(clientId) || !redirectUri)
			return json(400, { error: 'invalid_request' });
		const code = randomBytes(12).toString('hex');
		this.codes.set(code, {
			clientId,
			scopes: (scope ?? '').split(/\s+/).filter(Boolean),
			redirectUri,
		});
		const location = new URL(redirectUri);
		location.searchParams.set('code', code);
		if (state) location.searchParams.set('state', state);
		return { status: 302, raw: '', headers: { Location: location.toString() } };
	}

	// ---- reads ----------------------------------------------------------------------------------

	private find(collection: Collection, id: string | undefined): SimRecord | undefined {
		return id !== undefined && /^\d+$/.test(id)
			? collection.records.find((r) => r.id === Number(id))
			: undefined;
	}

	/**
	 * How records of a read come back: `fields`, else a named response filter, else the admin's
	 * default filter of the collection, each then trimmed by `return_object`.
	 */
	private readShape(req: Request, path: string): (record: SimRecord) => unknown {
		if (req.query.return_object === 'none')
			throw new QueryError('return_object=none is only supported on POST and PUT');
		let spec: FieldSpec | undefined;
		if (req.query.fields !== undefined) spec = parseFields(req.query.fields);
		else if (req.query.filter !== undefined) {
			spec = this.responseFilters.get(req.query.filter);
			if (!spec) throw new QueryError(`Unknown API filter ${req.query.filter}`);
		} else spec = this.defaultFilters.get(path);
		return (record) =>
			shapeRecord(spec ? (pickFields(record, spec) as SimRecord) : record, req.query);
	}

	private list(req: Request, path: string, collection: Collection): Answer {
		const shape = this.readShape(req, path);
		let selected = this.select(path, req.query);
		if (this.rewriteList) selected = this.rewriteList(selected, req.query, path);
		return json(200, selected.map(shape), `${collection.type.element}s`);
	}

	/**
	 * The records a list query selects, as Coupa pages them. Bounds on the id are cut from the
	 * id-ordered store by binary search, so keyset paging over 50,000 records stays fast.
	 */
	select(path: string, query: Record<string, string>): SimRecord[] {
		const { 'id[gt]': gt, 'id[lt]': lt, ...rest } = query;
		let records = this.records(path);
		const firstAbove = (id: number) => {
			let [low, high] = [0, records.length];
			while (low < high) {
				const middle = (low + high) >> 1;
				if (records[middle].id > id) high = middle;
				else low = middle + 1;
			}
			return low;
		};
		const numeric = (value: string | undefined) =>
			value !== undefined && value.trim() !== '' && Number.isFinite(Number(value))
				? Number(value)
				: undefined;
		const [above, below] = [numeric(gt), numeric(lt)];
		const bounds = {
			...(gt !== undefined && above === undefined ? { 'id[gt]': gt } : {}),
			...(lt !== undefined && below === undefined ? { 'id[lt]': lt } : {}),
		};
		if (above !== undefined || below !== undefined) {
			records = records.slice(
				above === undefined ? 0 : firstAbove(above),
				below === undefined ? records.length : firstAbove(Math.ceil(below) - 1),
			);
		}
		return applyPaging(applyOrder(applyFilters(records, { ...rest, ...bounds }), query), query);
	}

	private show(req: Request, path: string, collection: Collection, record: SimRecord): Answer {
		this.advanceLoad(path, record);
		return json(200, this.readShape(req, path)(record), collection.type.element);
	}

	/** Each read of a load in progress finds it one step further (Pending, Loading, then its end). */
	private advanceLoad(path: string, record: SimRecord): void {
		if (path !== 'data_file_sources' || !this.failingLoads.has(record.id)) return;
		const step = LOAD_STEPS.indexOf(String(record.status));
		if (step < 0) return;
		if (step + 1 < LOAD_STEPS.length) record.status = LOAD_STEPS[step + 1];
		else {
			Object.assign(record, finishedLoad(record, this.failingLoads.get(record.id)!));
			record['end-time'] = coupaTime(this.now().getTime());
		}
		this.touch(record);
	}

	/** A file action (`retrieve_image_scan`, `image`, `avatar`): the record's file as Coupa sends it. */
	private file(collection: Collection, record: SimRecord, action: string): Answer {
		const noun = collection.type.resource.value.replace(/([A-Z])/g, ' $1').toLowerCase();
		const text = `% ${action} of ${noun} ${record.id}\n`;
		if (/image$|avatar$/.test(action) && action !== 'retrieve_image_scan') {
			const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(text)]);
			return {
				status: 200,
				raw: png,
				headers: {
					'Content-Type': 'image/png',
					'Content-Disposition': `attachment; filename="${action}-${record.id}.png"`,
				},
			};
		}
		return {
			status: 200,
			raw: Buffer.from(`%PDF-1.4\n${text}%%EOF\n`),
			headers: {
				'Content-Type': 'application/pdf',
				'Content-Disposition': `attachment; filename="${noun.replace(/ /g, '-')}-${record.id}.pdf"`,
			},
		};
	}

	// ---- writes ---------------------------------------------------------------------------------

	/**
	 * The JSON body with Coupa's hyphenated names (it accepts underscores too), or the refusal to
	 * answer: a body not declared as JSON is not read as JSON (415), whatever it looks like.
	 */
	private parseBody(req: Request): { body: Record<string, unknown> } | { refusal: Answer } {
		if (
			req.body !== '' &&
			!String(req.headers['content-type'] ?? '').includes('application/json')
		) {
			return {
				refusal: errors(
					415,
					'Unsupported media type: send the body as JSON with Content-Type: application/json',
				),
			};
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
		return {
			body: Object.fromEntries(Object.entries(body).map(([k, v]) => [k.replace(/_/g, '-'), v])),
		};
	}

	/** The parts of a `multipart/form-data` body, by field name. */
	private parseForm(
		req: Request,
	): Map<string, { fileName?: string; contentType?: string; data: Buffer }> | undefined {
		const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(
			String(req.headers['content-type'] ?? ''),
		)?.[1];
		if (!boundary) return undefined;
		const parts = new Map<string, { fileName?: string; contentType?: string; data: Buffer }>();
		const text = req.raw.toString('latin1');
		for (const chunk of text.split(`--${boundary}`).slice(1, -1)) {
			const headerEnd = chunk.indexOf('\r\n\r\n');
			if (headerEnd < 0) continue;
			const headers = chunk.slice(0, headerEnd);
			const name = /name="([^"]*)"/.exec(headers)?.[1];
			if (name === undefined) continue;
			parts.set(name, {
				fileName: /filename="([^"]*)"/.exec(headers)?.[1],
				contentType: /Content-Type: ([^\r\n]+)/i.exec(headers)?.[1],
				data: Buffer.from(chunk.slice(headerEnd + 4, chunk.length - 2), 'latin1'),
			});
		}
		return parts;
	}

	/**
	 * What of a body Coupa writes: read-only fields of the schema are ignored (`exported` among
	 * them: Mark Exported is a request of its own), unknown names kept (legacy custom fields).
	 */
	private writable(collection: Collection, body: Record<string, unknown>): Record<string, unknown> {
		const readOnly = new Set(
			this.fields(collection.type)
				.filter((f) => f.readOnly)
				.map((f) => f.name),
		);
		readOnly.add('exported');
		readOnly.add('id');
		return Object.fromEntries(Object.entries(body).filter(([key]) => !readOnly.has(key)));
	}

	/**
	 * References in a body as Coupa takes them: an object, never a bare value, naming its record by
	 * id (`"supplier": {"id": 3}`) or by the keys Compass's examples use (`{"name": "CDW"}`,
	 * `{"number": "SUP-3"}`, an account by `code` and `account-type`, a user by `login`, an item by
	 * `name` or `item-number`). The record must exist and be the only one with those keys; the
	 * answer carries its id and natural keys. Where the simulator keeps no collection of the
	 * referenced object, keys are kept as sent.
	 */
	private resolveReferences(
		collection: Collection,
		body: Record<string, unknown>,
	): { body: Record<string, unknown>; problems: string[] } {
		return this.resolveIn(this.fields(collection.type), body, 0);
	}

	/** The references of a body, and of its lines (`requisition-lines[].account`) one level down. */
	private resolveIn(
		fields: DigestField[],
		body: Record<string, unknown>,
		depth: number,
	): { body: Record<string, unknown>; problems: string[] } {
		const problems: string[] = [];
		const resolved = { ...body };
		for (const field of fields) {
			const value = body[field.name];
			if (
				value === undefined ||
				value === null ||
				!field.ref ||
				(field.type !== 'object' && field.type !== 'array')
			)
				continue;
			const items = field.type === 'array' ? value : [value];
			if (
				!Array.isArray(items) ||
				items.some((item) => item === null || typeof item !== 'object' || Array.isArray(item))
			) {
				problems.push(
					`${labelOf(field.name)} must be ${field.type === 'array' ? 'a list of objects' : 'an object'} such as {"id": 1}`,
				);
				continue;
			}
			const target =
				TOP_COLLECTION.get(field.ref) ?? TOP_COLLECTION.get(field.ref.replace(/Simple$/, ''));
			if (field.type === 'array') {
				// Lines written with the document: their own references resolve as the document's do.
				if (depth > 0) continue;
				const lines = (items as Array<Record<string, unknown>>).map((item) =>
					this.resolveIn(schemaFields(field.ref), item, depth + 1),
				);
				problems.push(...lines.flatMap((line) => line.problems));
				resolved[field.name] = lines.map((line) => line.body);
				continue;
			}
			if (!target) continue;
			const keys = value as Record<string, unknown>;
			let found: SimRecord | undefined;
			if (keys.id !== undefined) {
				found = this.record(target, Number(keys.id));
				if (!found)
					problems.push(`${labelOf(field.name)} with id ${String(keys.id)} was not found`);
			} else {
				const given = Object.entries(keys).filter(
					([, v]) => v !== undefined && v !== null && v !== '',
				);
				if (given.length === 0) continue;
				const matches = (this.collection(target)?.records ?? []).filter((record) =>
					given.every(([key, v]) => this.sameKey(record[key], v)),
				);
				const described = given
					.map(([key, v]) => `${key} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
					.join(', ');
				if (matches.length === 1) found = matches[0];
				else if (matches.length === 0)
					problems.push(`${labelOf(field.name)} with ${described} was not found`);
				else
					problems.push(
						`${labelOf(field.name)} with ${described} matches ${matches.length} records`,
					);
			}
			if (found)
				resolved[field.name] = Object.fromEntries(
					Object.entries(found).filter(([key]) => key === 'id' || isNaturalKey(key)),
				);
		}
		return { body: resolved, problems };
	}

	/** A record's value against a key given in a reference: a plain value, or a nested reference by id or keys. */
	private sameKey(actual: unknown, given: unknown): boolean {
		if (given !== null && typeof given === 'object') {
			if (actual === null || typeof actual !== 'object') return false;
			return Object.entries(given).every(
				([key, v]) => String((actual as Record<string, unknown>)[key]) === String(v),
			);
		}
		return actual !== undefined && actual !== null && String(actual) === String(given);
	}

	private answerWrite(
		req: Request,
		collection: Collection,
		record: SimRecord,
		status = 200,
	): Answer {
		if (req.query.return_object === 'none') return { status, raw: '' };
		return json(
			status,
			shapeRecord(
				req.query.fields !== undefined
					? (pickFields(record, parseFields(req.query.fields)) as SimRecord)
					: record,
				req.query,
			),
			collection.type.element,
		);
	}

	private invalid(collection: Collection, problems: string[]): Answer {
		return json(400, { errors: { [collection.type.model]: problems } }, 'errors');
	}

	private create(
		req: Request,
		path: string,
		collection: Collection,
		multipart: boolean,
		status?: string,
	): Answer {
		if (multipart && String(req.headers['content-type'] ?? '').startsWith('multipart/'))
			return this.attach(req, path, collection);
		const parsed = this.parseBody(req);
		if ('refusal' in parsed) return parsed.refusal;
		const { body, problems: invalidReferences } = this.resolveReferences(
			collection,
			this.writable(collection, parsed.body),
		);
		const refusal = refuseCreate(collection.type.resource.path, body);
		if (refusal) return this.invalid(collection, [refusal]);
		const problems = [
			...validateCreate(collection.type.required, collection.type.unique, body, collection.records),
			...invalidValues(this.fields(collection.type), body),
			...invalidReferences,
		];
		if (problems.length) return this.invalid(collection, problems);
		return this.answerWrite(
			req,
			collection,
			this.insert(path, { ...body, ...(status ? { status } : {}) }),
			201,
		);
	}

	/** An attachment sent as Coupa's form: `attachment[file]`, `attachment[type]`, `attachment[intent]`... */
	private attach(req: Request, path: string, collection: Collection): Answer {
		const form = this.parseForm(req);
		if (!form) return errors(400, 'Attachments must be sent as multipart/form-data');
		const field = (name: string) => form.get(`attachment[${name}]`);
		const text = (name: string) => field(name)?.data.toString('utf8');
		const file = field('file');
		const type = text('type') ?? (file ? 'file' : undefined);
		if (!type || !['file', 'url', 'text'].includes(type))
			return this.invalid(collection, ['Type is not included in the list']);
		if (type === 'file' && !file?.fileName)
			return this.invalid(collection, ["File can't be blank"]);
		const record = this.insert(path, {
			type,
			intent: text('intent') ?? 'Internal',
			url: text('url') ?? null,
			text: text('text') ?? null,
			'linked-to': text('linked_to') ?? null,
		});
		if (file?.fileName) {
			Object.assign(record, {
				'file-file-name': file.fileName,
				'file-file-size': String(file.data.length),
				'file-content-type': file.contentType ?? 'application/octet-stream',
				'file-url': `${this.url}/attachments/${record.id}/${encodeURIComponent(file.fileName)}`,
			});
		}
		return this.answerWrite(req, collection, record, 201);
	}

	/** A file upload action (`image_scan`, `avatar`, `legal_agreement`): the record takes the file. */
	private upload(
		req: Request,
		collection: Collection,
		record: SimRecord,
		fields: string[],
	): Answer {
		const form = this.parseForm(req);
		if (!form) return errors(400, 'Files must be sent as multipart/form-data');
		if (!fields.some((name) => form.get(name)?.fileName))
			return this.invalid(collection, [`${fields[0]} can't be blank`]);
		this.touch(record);
		return this.answerWrite(req, collection, record);
	}

	private touch(record: SimRecord): void {
		if ('updated-at' in record) record['updated-at'] = coupaTime(this.now().getTime());
		if ('updated-by' in record) record['updated-by'] = reference('UserSimple', API_USER);
	}

	private update(req: Request, path: string, collection: Collection, record: SimRecord): Answer {
		// Compass ("Special Actions and API Notes"): Mark Exported is `PUT ...?exported=true`, a request
		// of its own; other changes sent with it are ignored.
		if (req.query.exported !== undefined) {
			if (!['true', 'false'].includes(req.query.exported))
				return errors(400, 'exported must be true or false');
			if (!('exported' in record))
				return errors(400, `${collection.type.element} has no exported flag`);
			record.exported = req.query.exported === 'true';
			if (record.exported && 'last-exported-at' in record)
				record['last-exported-at'] = coupaTime(this.now().getTime());
			return this.answerWrite(req, collection, record);
		}
		const parsed = this.parseBody(req);
		if ('refusal' in parsed) return parsed.refusal;
		const { body: changes, problems: invalidReferences } = this.resolveReferences(
			collection,
			this.writable(collection, parsed.body),
		);
		const problems = [
			...validateCreate([], collection.type.unique, changes, collection.records, record),
			...invalidValues(this.fields(collection.type), changes),
			...invalidReferences,
		];
		if (problems.length) return this.invalid(collection, problems);
		if (isNewVersion(path, record, changes)) {
			record.version = Number(record.version ?? 1) + 1;
			record.exported = false;
		}
		const custom = changes['custom-fields'];
		if (custom && typeof custom === 'object' && !Array.isArray(custom)) {
			changes['custom-fields'] = {
				...((record['custom-fields'] as object | null) ?? {}),
				...custom,
			};
		}
		Object.assign(record, changes);
		this.touch(record);
		return this.answerWrite(req, collection, record);
	}

	private destroy(req: Request, path: string, collection: Collection, record: SimRecord): Answer {
		const refusal = refuseDelete(path, record);
		if (refusal) return this.invalid(collection, [refusal]);
		collection.records.splice(collection.records.indexOf(record), 1);
		return this.answerWrite(req, collection, record);
	}

	/** `PUT /api/{path}/{id}/{action}` and its POST, PATCH and DELETE kin: the action, then the record. */
	private act(
		req: Request,
		path: string,
		collection: Collection,
		record: SimRecord,
		action: string,
	): Answer {
		const rule = STATE_RULES[path]?.[action];
		const from = String(record.status ?? '');
		if (rule?.from && !rule.from.includes(from)) {
			const noun = collection.type.element.replace(/-/g, ' ');
			return this.invalid(collection, [
				`Cannot ${action.replace(/_/g, ' ')} ${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun} that is ${from}`,
			]);
		}
		const parsed = this.parseBody(req);
		if ('refusal' in parsed) return parsed.refusal;
		if (rule?.to) record.status = rule.to;
		// Compass (Approvals API): the reason of an approval or rejection is a query parameter.
		if (path === 'approvals' && req.query.reason !== undefined) record.note = req.query.reason;
		this.touch(record);
		return this.answerWrite(req, collection, record);
	}

	/** An action on the collection: a list (GET), a record made in a given status, or a bulk change. */
	private collectionAction(
		req: Request,
		path: string,
		collection: Collection,
		action: string,
	): Answer {
		if (req.method === 'GET') return this.list(req, path, collection);
		const status = CREATING_ACTIONS[path]?.[action];
		if (status) return this.create(req, path, collection, false, status);
		const parsed = this.parseBody(req);
		if ('refusal' in parsed) return parsed.refusal;
		if (path === 'data_file_sources' && FILE_LOAD_ACTIONS.has(action)) {
			const body = parsed.body;
			const record = this.insert(path, {
				type: 'BackgroundCsvFileLoad',
				'source-for': body['source-for'] ?? null,
				status: LOAD_STEPS[0],
				'start-time': coupaTime(this.now().getTime()),
				'upload-errors': [],
			});
			this.failingLoads.set(record.id, this.nextLoadRejects);
			this.nextLoadRejects = [];
			return this.answerWrite(req, collection, record, 201);
		}
		return req.method === 'POST'
			? json(200, parsed.body, collection.type.element)
			: json(200, [], `${collection.type.element}s`);
	}
}
