import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INode,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MAIN_CONNECTION } from '../shared/connection';
import type { ClientCredentials } from './callOutToken';
import {
	basicMatches,
	issueToken,
	readGrant,
	TOKEN_LIFETIME_SECONDS,
	verifyBearer,
} from './callOutToken';
import type { RepeatStore } from './payload';
import { isRepeat, PayloadRefusal, readCallOut, versionKey } from './payload';
import { DEFAULT_XML_LIMITS } from './xml';

/** Coupa's own wording for a refused call out, as it lists failed calls under the call out. */
const REFUSED_TOKEN = 'Unauthorized. Access token is missing or invalid.';
const EXPIRED_TOKEN = 'Unauthorized. Access token has expired.';
const REFUSED_CLIENT = 'Unauthorized. Client ID or secret is missing or invalid.';
const DEFAULT_MAX_BODY_MB = 10;
const MIN_SECRET_LENGTH = 24;

/** The part of n8n's request object read here (n8n keeps the body's bytes as `rawBody`). */
interface CallOutRequest {
	headers: Record<string, string | string[] | undefined>;
	rawBody?: Buffer;
}

/** The part of the response object written here: Node's own, which Express's response is. */
interface CallOutResponse {
	headersSent?: boolean;
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body?: string): unknown;
}

const header = (request: CallOutRequest, name: string): string | undefined => {
	const value = request.headers[name];
	return Array.isArray(value) ? value[0] : value;
};

/**
 * Writes the answer itself and tells n8n not to answer or run anything: how a refused call
 * starts no execution on every n8n release.
 */
function answer(
	response: CallOutResponse,
	statusCode: number,
	body: IDataObject,
	headers: Record<string, string> = {},
): IWebhookResponseData {
	if (!response.headersSent) {
		response.writeHead(statusCode, {
			'content-type': 'application/json; charset=utf-8',
			'cache-control': 'no-store',
			...headers,
		});
		response.end(JSON.stringify(body));
	}
	return { noWebhookResponse: true };
}

/** The document, or the refusal to answer with (any other error is n8n's to report). */
function readOrRefusal<T>(node: INode, read: () => T): T | PayloadRefusal {
	try {
		return read();
	} catch (error) {
		if (error instanceof PayloadRefusal) return error;
		throw new NodeOperationError(node, error as Error);
	}
}

/** Why a client id and secret would not serve, if they would not. */
export function pairProblem(clientId: string, clientSecret: string): string | undefined {
	if (clientId.trim() === '') return 'Enter a Client ID (any name, e.g. coupa-call-outs)';
	// Basic authentication splits "id:secret" at the first colon.
	if (clientId.includes(':')) return 'The Client ID cannot contain a colon (":")';
	if (clientSecret.length < MIN_SECRET_LENGTH)
		return `Use a Client Secret of at least ${MIN_SECRET_LENGTH} characters: it signs the tokens Coupa presents`;
	return undefined;
}

const refuse = (response: CallOutResponse, message: string, challenge: string) =>
	answer(response, 401, { statusCode: 401, message }, { 'www-authenticate': challenge });

export class CoupaCallOutTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Coupa Call Out Trigger',
		name: 'coupaCallOutTrigger',
		icon: { light: 'file:../../icons/coupa.svg', dark: 'file:../../icons/coupa.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{$parameter["authentication"] === "none" ? "No authentication" : "OAuth 2.0 client credentials"}}',
		description: 'Starts the workflow when Coupa sends a call out (a Process Automator API Call)',
		defaults: { name: 'Coupa Call Out Trigger' },
		inputs: [],
		outputs: [MAIN_CONNECTION],
		credentials: [
			{
				name: 'coupaCallOutApi',
				required: true,
				testedBy: 'coupaCallOutPair',
				displayOptions: { show: { authentication: ['coupaCallOutApi'] } },
			},
		],
		webhooks: [
			{
				// n8n names a node's second webhook `setup`; this one is Coupa's Token URL.
				name: 'setup',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'token',
			},
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: '={{$parameter["responseMode"]}}',
				responseCode: '={{$parameter["responseCode"] || 200}}',
				responseData:
					'={{$parameter["responseMode"] === "lastNode" ? ($parameter["responseData"] || "firstEntryJson") : undefined}}',
				path: 'callout',
			},
		],
		properties: [
			{
				displayName:
					"In Coupa, the call out's endpoint takes the first URL above (ending in /token) as its Token URL, and the call out itself the second one (ending in /callout). Use the production URLs once the workflow is published.",
				name: 'urlsNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{
						name: 'Coupa Call Out',
						value: 'coupaCallOutApi',
						description: 'Coupa gets a token with the client ID and secret, then calls with it',
					},
					{
						name: 'None',
						value: 'none',
						description:
							'For trying the trigger out only: anyone who knows the URL can start the workflow',
					},
				],
				default: 'coupaCallOutApi',
			},
			{
				displayName: 'Respond',
				name: 'responseMode',
				type: 'options',
				options: [
					{
						name: 'Immediately',
						value: 'onReceived',
						description: 'As soon as the call out is accepted',
					},
					{
						name: 'When Last Node Finishes',
						value: 'lastNode',
						description: 'Returns data of the last-executed node',
					},
					{
						name: "Using 'Respond to Webhook' Node",
						value: 'responseNode',
						description: 'Response defined in that node',
					},
				],
				default: 'onReceived',
				description:
					"When and how to answer Coupa. Process Automator's response variables read values from the answer; Coupa does not document how long it waits for it.",
			},
			{
				displayName:
					"Add a Respond to Webhook node of version 1 (as in this package's example): newer versions of that node only answer for n8n's own Webhook node",
				name: 'responseNodeNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { responseMode: ['responseNode'] } },
			},
			{
				displayName: 'Response Code',
				name: 'responseCode',
				type: 'number',
				typeOptions: { minValue: 100, maxValue: 599 },
				default: 200,
				description: 'The HTTP status code of the answer to an accepted call out',
				displayOptions: { hide: { responseMode: ['responseNode'] } },
			},
			{
				displayName: 'Response Data',
				name: 'responseData',
				type: 'options',
				options: [
					{
						name: 'All Entries',
						value: 'allEntries',
						description: 'All items of the last node, as an array',
					},
					{
						name: 'First Entry JSON',
						value: 'firstEntryJson',
						description: "The JSON of the last node's first item",
					},
					{ name: 'No Response Body', value: 'noData', description: 'Returns without a body' },
				],
				default: 'firstEntryJson',
				displayOptions: { show: { responseMode: ['lastNode'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Ignore Repeats Within (Minutes)',
						name: 'ignoreRepeatsMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'Answer without running when the same version of a document (object, ID and updated-at) arrives again within this many minutes. Best effort: see the docs for where it holds. 0 runs every call.',
					},
					{
						displayName: 'Max Body Size (MB)',
						name: 'maxBodySizeMb',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 64 },
						default: DEFAULT_MAX_BODY_MB,
						description:
							"Larger call outs are refused with 413 (n8n's own N8N_PAYLOAD_SIZE_MAX, 16 MB by default, applies first)",
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			/** Nothing remote to ask: the test checks the pair is one Coupa can present and hard to guess. */
			async coupaCallOutPair(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const { clientId, clientSecret } = (credential.data ?? {}) as {
					clientId?: string;
					clientSecret?: string;
				};
				const problem = pairProblem(String(clientId ?? ''), String(clientSecret ?? ''));
				return problem
					? { status: 'Error', message: problem }
					: {
							status: 'OK',
							message:
								"The client ID and secret can be entered on the call out's endpoint in Coupa",
						};
			},
		},
	};

	/**
	 * Coupa has no API to register a call out (an admin sets it up in Coupa's Setup), so there is
	 * nothing to create, check or delete at activation: the URLs simply answer while the workflow is
	 * published.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
		setup: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const request = this.getRequestObject() as unknown as CallOutRequest;
		const response = this.getResponseObject() as unknown as CallOutResponse;
		const authentication = this.getNodeParameter('authentication', 'coupaCallOutApi') as string;
		const node = this.getNode();
		// A token opens only the trigger that issued it: this workflow's, this node's.
		const audience = `${this.getWorkflow().id ?? ''}/${node.webhookId ?? node.id}`;

		let credentials: ClientCredentials | undefined;
		if (authentication !== 'none') {
			try {
				const stored = await this.getCredentials('coupaCallOutApi');
				credentials = {
					clientId: String(stored.clientId ?? ''),
					clientSecret: String(stored.clientSecret ?? ''),
				};
			} catch {
				credentials = { clientId: '', clientSecret: '' };
			}
		}

		if (this.getWebhookName() === 'setup') {
			if (credentials && !basicMatches(header(request, 'authorization'), credentials)) {
				return refuse(response, REFUSED_CLIENT, 'Basic realm="Coupa call out"');
			}
			const grant = readGrant(header(request, 'content-type'), request.rawBody, this.getBodyData());
			if (grant.grantType !== 'client_credentials') {
				return answer(response, 400, {
					statusCode: 400,
					message: 'Unsupported grant_type: only client_credentials is supported.',
				});
			}
			// With no authentication a token is still issued (Coupa's endpoint may ask), but nothing checks it.
			const signer = credentials ?? { clientId: 'none', clientSecret: audience };
			return answer(
				response,
				200,
				{
					access_token: issueToken(signer, audience),
					token_type: 'bearer',
					expires_in: TOKEN_LIFETIME_SECONDS,
				},
				{ pragma: 'no-cache' },
			);
		}

		if (credentials) {
			const verdict = verifyBearer(header(request, 'authorization'), credentials, audience);
			if (!verdict.ok) {
				return refuse(
					response,
					verdict.reason === 'expired' ? EXPIRED_TOKEN : REFUSED_TOKEN,
					'Bearer realm="Coupa call out", error="invalid_token"',
				);
			}
		}

		const options = this.getNodeParameter('options', {}) as {
			ignoreRepeatsMinutes?: number;
			maxBodySizeMb?: number;
		};
		const maxBytes = Math.round(
			Math.min(Math.max(Number(options.maxBodySizeMb) || DEFAULT_MAX_BODY_MB, 1), 64) * 1024 * 1024,
		);
		const call = readOrRefusal(node, () =>
			readCallOut(request.rawBody, this.getBodyData(), { ...DEFAULT_XML_LIMITS, maxBytes }),
		);
		if (call instanceof PayloadRefusal)
			return answer(response, call.statusCode, {
				statusCode: call.statusCode,
				message: call.message,
			});

		const windowMinutes = Number(options.ignoreRepeatsMinutes) || 0;
		const key = windowMinutes > 0 ? versionKey(call) : undefined;
		if (key !== undefined) {
			const staticData = this.getWorkflowStaticData('node');
			staticData.seenVersions ??= {};
			if (
				isRepeat(staticData.seenVersions as RepeatStore, key, Date.now(), windowMinutes * 60_000)
			) {
				return answer(response, 200, {
					statusCode: 200,
					message: 'Already received: this version of the document was not run again.',
					repeat: true,
				});
			}
		}

		return { workflowData: [[{ json: call.document as IDataObject }]] };
	}
}
