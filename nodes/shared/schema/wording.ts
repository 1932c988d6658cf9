/**
 * How names read: the words of a value (`loadFromSftp`, `asnHeader`) become the names and sentences
 * people see in the editor ("Load from SFTP", "Void an ASN header"). The rules are data; an operation
 * no rule words well has an entry in the overlay's wording block.
 */

/** Words written as Coupa writes them, whatever their case in a path. */
const WORD_FORMS: Record<string, string> = {
	api: 'API',
	asn: 'ASN',
	ccc: 'CCC',
	coupa: 'Coupa',
	csp: 'CSP',
	cxml: 'cXML',
	id: 'ID',
	pdf: 'PDF',
	po: 'PO',
	sftp: 'SFTP',
	uom: 'UOM',
	url: 'URL',
};

/** Words that take Coupa's capital after another word ("Coupa Pay"). */
const PROPER_AFTER: Record<string, string> = { coupa: 'pay' };

/** Words a title keeps lower-case unless they come first (words of three letters or fewer). */
const SMALL_WORDS = new Set([
	'a',
	'an',
	'and',
	'as',
	'at',
	'by',
	'for',
	'in',
	'of',
	'on',
	'or',
	'the',
	'to',
]);

/** Words that start a phrase saying where or how ("for approval", "from SFTP", "without validation"). */
const PREPOSITIONS = new Set([
	'and',
	'as',
	'at',
	'by',
	'for',
	'from',
	'in',
	'into',
	'on',
	'to',
	'with',
	'without',
]);

/**
 * Verbs an operation's value can start with, and how the sentence names what the rest of the value
 * names: `[preposition, article]` ("Add an approver to a contract", "Calculate taxes for an expense
 * line"); verbs not listed here say "the … of" ("Download the image scan of an invoice").
 */
const VERBS: Record<string, [string, 'a' | 'the' | '']> = {
	acknowledge: ['of', 'the'],
	add: ['to', 'a'],
	adjust: ['of', 'the'],
	approve: ['of', 'the'],
	assign: ['to', 'a'],
	award: ['of', 'the'],
	bypass: ['of', 'the'],
	calculate: ['for', ''],
	cancel: ['of', 'the'],
	close: ['of', 'the'],
	complete: ['of', 'the'],
	copy: ['of', 'the'],
	create: ['for', 'a'],
	delete: ['of', 'the'],
	dispute: ['of', 'the'],
	download: ['of', 'the'],
	estimate: ['for', ''],
	export: ['of', 'the'],
	fail: ['of', 'the'],
	finish: ['of', 'the'],
	flip: ['of', 'the'],
	get: ['of', 'the'],
	hold: ['of', 'the'],
	issue: ['of', 'the'],
	load: ['of', 'the'],
	pause: ['of', 'the'],
	pay: ['of', 'the'],
	receive: ['of', 'the'],
	reject: ['of', 'the'],
	release: ['of', 'the'],
	remove: ['from', 'a'],
	reopen: ['of', 'the'],
	resolve: ['of', 'the'],
	restart: ['of', 'the'],
	retrieve: ['of', 'the'],
	revalidate: ['of', 'the'],
	reverse: ['of', 'the'],
	review: ['of', 'the'],
	run: ['of', 'the'],
	save: ['of', 'the'],
	search: ['of', 'the'],
	send: ['of', 'the'],
	submit: ['of', 'the'],
	sync: ['of', 'the'],
	track: ['of', 'the'],
	unassign: ['from', 'a'],
	unresolve: ['of', 'the'],
	update: ['of', 'the'],
	upload: ['of', 'the'],
	validate: ['of', 'the'],
	void: ['of', 'the'],
	withdraw: ['of', 'the'],
};

/**
 * Values that name the status a record moves to (`pending`, `readyToPay`): Coupa's action sets it.
 * The name says "Mark Pending", the sentence "Mark an integration run as pending".
 */
const STATUSES: Record<string, [string, string]> = {
	cancelled: ['Cancelled', 'cancelled'],
	draft: ['Draft', 'draft'],
	inProgress: ['In Progress', 'in progress'],
	pending: ['Pending', 'pending'],
	planned: ['Planned', 'planned'],
	readyToPay: ['Ready to Pay', 'ready to pay'],
	success: ['Successful', 'successful'],
};

/** Value words that say "all at once" rather than name a thing: `receiveMany`, `removeAll`, `bulkUpdate`. */
const QUANTITIES: Record<string, 'many' | 'all'> = { many: 'many', all: 'all', bulk: 'many' };

export const camelWords = (value: string) => value.split(/(?=[A-Z])/).map((w) => w.toLowerCase());

function form(word: string, previous: string | undefined): string | undefined {
	if (WORD_FORMS[word]) return WORD_FORMS[word];
	if (previous && PROPER_AFTER[previous] === word) return word[0].toUpperCase() + word.slice(1);
	return undefined;
}

/** Words Coupa joins with a hyphen: a remit-to address, a soft-closed line. */
const COMPOUNDS: Array<[RegExp, string]> = [
	[/\bRemit to\b/g, 'Remit-To'],
	[/\bSoft Close\b/g, 'Soft-Close'],
];

/** `['load', 'from', 'sftp']` → "Load From SFTP"; `['submit', 'for', 'approval']` → "Submit for Approval". */
export function titleCase(words: string[]): string {
	const title = words
		.map((w, i) => {
			const lower = w.toLowerCase();
			const fixed = form(lower, words[i - 1]?.toLowerCase());
			if (fixed) return fixed;
			if (i > 0 && SMALL_WORDS.has(lower)) return lower;
			return lower[0].toUpperCase() + lower.slice(1);
		})
		.join(' ');
	return COMPOUNDS.reduce((text, [pattern, compound]) => text.replace(pattern, compound), title);
}

/** A name as it reads inside a sentence: "ASN header", "Coupa Pay payment", "UOM translation". */
export function lowerName(name: string): string {
	const words = name.split(' ');
	return words
		.map(
			(w, i) =>
				form(w.toLowerCase(), words[i - 1]?.toLowerCase()) ??
				(/^[A-Z]{2,}$/.test(w) ? w : w.toLowerCase()),
		)
		.join(' ');
}

/** "an" before a vowel sound: "an invoice", "an ASN header", "a user", "a UOM". */
function article(phrase: string): 'a' | 'an' {
	const first = phrase.split(' ')[0];
	if (/^[A-Z]{2,}$/.test(first)) return /^[AEFHILMNORSX]/.test(first) ? 'an' : 'a';
	return /^(u[bcdfgklmnpqrstvwxz]{2}|un[^i]|[aeio])/i.test(first) ? 'an' : 'a';
}

/** "a purchase order", "an invoice", "a budget line adjustment of a budget line". */
export function aRecord(name: string): string {
	const [head, owner] = lowerName(name).split(' of ');
	const one = /^an? /.test(head) ? head : `${article(head)} ${head}`;
	return owner ? `${one} of ${aRecord(owner)}` : one;
}

function pluralWord(one: string): string {
	if (/[^aeiou]y$/.test(one)) return `${one.slice(0, -1)}ies`;
	if (/(s|x|ch|sh)$/.test(one)) return `${one}es`;
	return `${one}s`;
}

/** "purchase orders", "currencies", "addresses", "budget line adjustments of a budget line". */
export function plural(name: string): string {
	const [head, owner] = lowerName(name).split(' of ');
	const words = head.split(' ');
	const last = words.pop()!;
	const many = [...words, /^[A-Z]{2,}$/.test(last) ? `${last}s` : pluralWord(last)].join(' ');
	return owner ? `${many} of ${aRecord(owner)}` : many;
}

/**
 * A nested collection's display name from its value, when the plain title repeats its parent's words
 * ("Supplier Supplier Site" → "Supplier Site of a Supplier"); otherwise the plain title.
 */
export function nestedName(value: string, parentName?: string): string {
	const title = titleCase(camelWords(value));
	if (!parentName || !title.startsWith(`${parentName} `)) return title;
	const child = title.slice(parentName.length + 1);
	const words = title.toLowerCase().split(' ');
	const repeats = words.some((w, i) => words.indexOf(w) !== i);
	return repeats ? `${child} of ${article(lowerName(parentName))} ${parentName}` : title;
}

/** A nested record's name without its parent's: the supplier's "business group", the budget line's "budget line adjustment". */
export function childName(name: string, parentName: string): string {
	const own = name.split(' of ')[0];
	return lowerName(own.startsWith(`${parentName} `) ? own.slice(parentName.length + 1) : own);
}

export interface WordingSubject {
	/** The resource's display name. */
	name: string;
	/** The parent's display name, for a nested collection. */
	parent?: string;
	/** The operation acts on one record (its path has the record's id). */
	member: boolean;
	method: string;
	/** The operation answers a file. */
	file: boolean;
}

const capital = (text: string) => text[0].toUpperCase() + text.slice(1);

/**
 * The Operation list's name and the actions panel's sentence for an operation Coupa names by its
 * path (`loadFromSftp`, `receiveMany`, `pending`), or undefined when no rule fits.
 */
export function operationWording(
	value: string,
	subject: WordingSubject,
): { name: string; action: string } | undefined {
	const words = camelWords(value);
	const name = titleCase(words);
	const one = aRecord(subject.name);
	const many = plural(subject.name);
	if (STATUSES[value])
		return { name: `Mark ${STATUSES[value][0]}`, action: `Mark ${one} as ${STATUSES[value][1]}` };

	const quantity = QUANTITIES[words[0]]
		? 0
		: QUANTITIES[words[words.length - 1]]
			? words.length - 1
			: -1;
	const verbWords =
		quantity === 0 ? words.slice(1) : quantity > 0 ? words.slice(0, quantity) : words;
	const verb = verbWords[0];
	if (!VERBS[verb]) {
		// A read named by what it returns: `userAccounts`, `catalogItems`, an item's `image`.
		if (subject.method !== 'GET') return undefined;
		const verbName = subject.file ? 'download' : 'get';
		if (quantity === 0 && words[0] === 'all' && words.length === 1)
			return { name: titleCase([verbName, 'all']), action: `${capital(verbName)} all ${many}` };
		if (quantity >= 0) return undefined;
		const what = lowerName(titleCase(words));
		return {
			name: titleCase([verbName, ...words]),
			action: subject.member
				? `${capital(verbName)} the ${what} of ${one}`
				: `${capital(verbName)} ${what}`,
		};
	}

	let rest = verbWords.slice(1);
	// `validateAccount` on accounts: the rest only repeats the record's name.
	if (rest.join(' ') === subject.name.toLowerCase()) rest = [];
	const Verb = capital(verb);
	const childName =
		subject.parent && subject.name.startsWith(`${subject.parent} `)
			? subject.name.slice(subject.parent.length + 1)
			: undefined;
	const [preposition, determiner] = VERBS[verb];

	// Adding to or removing from a parent record: "Add a business group to a supplier".
	if (childName && (preposition === 'to' || preposition === 'from') && !rest.length) {
		const children =
			quantity === -1 && subject.member
				? aRecord(childName)
				: `${words[quantity] === 'all' ? 'all ' : ''}${plural(childName)}`;
		return { name, action: `${Verb} ${children} ${preposition} ${aRecord(subject.parent!)}` };
	}
	if (quantity >= 0) {
		if (rest.length) return undefined;
		const all = QUANTITIES[words[quantity]] === 'all';
		if (quantity === 0)
			return { name: titleCase([verb, 'in', 'bulk']), action: `${Verb} ${many} in bulk` };
		return { name, action: `${Verb} ${all ? 'all' : 'several'} ${many}` };
	}
	if (!rest.length)
		return { name, action: `${Verb} ${subject.member || subject.method !== 'GET' ? one : many}` };
	const phrase = lowerName(titleCase(rest));
	// "Save a requisition for later", "Pay a payables invoice externally".
	if (PREPOSITIONS.has(rest[0]) || (rest.length === 1 && rest[0].endsWith('ly')))
		return { name, action: `${Verb} ${one} ${phrase}` };
	const pluralPhrase = /[^s]s$/.test(rest[rest.length - 1]);
	const det =
		determiner === 'a'
			? pluralPhrase
				? ''
				: `${article(phrase)} `
			: determiner === 'the'
				? 'the '
				: '';
	return { name, action: `${Verb} ${det}${phrase} ${preposition} ${one}` };
}
