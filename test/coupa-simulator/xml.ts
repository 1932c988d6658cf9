/** Coupa's default format: XML with hyphenated element names and `type="array"` lists. */
const escape = (text: string) =>
	text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function element(name: string, value: unknown): string {
	const tag = name.replace(/_/g, '-');
	if (value === null || value === undefined) return `<${tag} nil="true"/>`;
	if (Array.isArray(value)) {
		const child = tag.endsWith('s') ? tag.slice(0, -1) : 'item';
		return `<${tag} type="array">${value.map((v) => element(child, v)).join('')}</${tag}>`;
	}
	if (typeof value === 'object') {
		return `<${tag}>${Object.entries(value as Record<string, unknown>)
			.map(([k, v]) => element(k, v))
			.join('')}</${tag}>`;
	}
	return `<${tag}>${escape(String(value))}</${tag}>`;
}

export function toXml(rootName: string, value: unknown): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n${element(rootName, value)}`;
}

export function errorsXml(messages: string[]): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<errors>${messages.map((m) => `<error>${escape(m)}</error>`).join('')}</errors>`;
}
