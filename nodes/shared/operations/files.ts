import type {
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError, randomString } from 'n8n-workflow';

import { endpointOf, RESOURCES_BY_VALUE } from '../schema/catalog';
import type { CoupaAnswer } from '../transport/answers';
import { checkFileAnswer, fileNameOf, mediaType } from '../transport/answers';
import type { CallContext } from '../transport/errors';
import { shown } from '../transport/errors';
import { badAnswer } from '../transport/request';

/** The multipart field that carries the file, from the spec's form parameters. */
function uploadField(ctx: IExecuteSingleFunctions): string {
	const resource = RESOURCES_BY_VALUE.get(ctx.getNodeParameter('resource', '') as string);
	const form = endpointOf(resource, ctx.getNodeParameter('operation', '') as string)?.form ?? [];
	return (
		form.find((name) => name.endsWith('[file]') || name === 'file') ?? form[0] ?? 'attachment[file]'
	);
}

/**
 * Builds Coupa's attachment upload (`multipart/form-data` with `attachment[file]`,
 * `attachment[type]` file|url|text and `attachment[intent]`) by hand: the package may not
 * depend on a form-data library, and the body must be a plain Buffer the engine sends as is.
 */
export async function sendAttachment(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	// Coupa's attachments take attachment[type]; other uploads (an invoice's image scan, a
	// contract's legal agreement, a user's avatar) take one file field named by the spec.
	const fileField = uploadField(this);
	const attachment = fileField === 'attachment[file]';
	const type = attachment
		? (this.getNodeParameter('attachmentType', 'file') as 'file' | 'url' | 'text')
		: 'file';
	const intent = attachment ? (this.getNodeParameter('attachmentIntent', '') as string) : '';
	const boundary = `----n8nCoupa${randomString(16)}`;
	const parts: Buffer[] = [];
	const field = (name: string, value: string) =>
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
			),
		);

	if (attachment) field('attachment[type]', type);
	if (intent) field('attachment[intent]', intent);
	if (type === 'file') {
		const property = this.getNodeParameter('binaryPropertyName', 'data') as string;
		const binary = this.helpers.assertBinaryData(property);
		const content = await this.helpers.getBinaryDataBuffer(property);
		const fileName = (binary.fileName ?? 'attachment').replace(/["\r\n]/g, '_');
		const mimeType = binary.mimeType || 'application/octet-stream';
		// A media type is `type/subtype` plus parameters; anything else (a line break above all)
		// would write a header line of its own into the upload.
		if (
			!/^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(\s*;\s*[\w!#$&^.+-]+=("[^"\r\n]*"|[\w!#$&^.+-]+))*$/.test(
				mimeType,
			)
		) {
			throw new NodeOperationError(
				this.getNode(),
				`The file's MIME type "${shown(mimeType.replace(/[\r\n]/g, ' '), 60)}" is not a valid media type`,
				{
					itemIndex: this.getItemIndex(),
					description:
						'Set a plain media type such as application/pdf on the binary property (e.g. with an Edit Fields node) before uploading it.',
				},
			);
		}
		parts.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="${fileName}"\r\nContent-Type: ${mimeType}\r\n\r\n`,
			),
			content,
			Buffer.from('\r\n'),
		);
	} else {
		const value = (
			this.getNodeParameter(type === 'url' ? 'attachmentUrl' : 'attachmentText', '') as string
		).trim();
		if (!value) {
			throw new NodeOperationError(
				this.getNode(),
				`The ${type === 'url' ? 'URL' : 'Text'} parameter is empty`,
				{
					itemIndex: this.getItemIndex(),
					description: `An attachment of type ${type} needs its ${type === 'url' ? 'address' : 'text'}.`,
				},
			);
		}
		field(`attachment[${type}]`, value);
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return {
		...requestOptions,
		body: Buffer.concat(parts),
		headers: {
			...requestOptions.headers,
			'Content-Type': `multipart/form-data; boundary=${boundary}`,
		},
	};
}

/** A download: the answer must be a file, which becomes the item's binary property. */
export async function downloadItem(
	ctx: IExecutePaginationFunctions,
	answer: CoupaAnswer,
	call: CallContext,
): Promise<INodeExecutionData> {
	const checked = checkFileAnswer(answer);
	if (!checked.ok)
		throw badAnswer(answer, call.redact ? call.redact(checked.what) : checked.what, call);
	const property = ctx.getNodeParameter('binaryPropertyName', 'data') as string;
	const type = mediaType(answer.headers);
	const binary = await ctx.helpers.prepareBinaryData(
		answer.body,
		fileNameOf(answer.headers),
		type && type !== 'application/octet-stream' ? type : undefined,
	);
	return { json: {}, binary: { [property]: binary } };
}
