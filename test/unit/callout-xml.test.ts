/** The call out trigger's XML reader, on its own: Coupa's shapes, and what the internet may send. */
import { DEFAULT_XML_LIMITS, parseXml, XmlRefusal } from '../../nodes/CoupaCallOutTrigger/xml';
import {
	PayloadRefusal,
	readCallOut,
	versionKey,
	isRepeat,
} from '../../nodes/CoupaCallOutTrigger/payload';
import { toXml } from '../coupa-simulator/xml';

const refusal = (input: string | Buffer, limits = DEFAULT_XML_LIMITS): XmlRefusal => {
	try {
		parseXml(input, limits);
	} catch (error) {
		expect(error).toBeInstanceOf(XmlRefusal);
		return error as XmlRefusal;
	}
	throw new Error('parsed, expected a refusal');
};

describe('Coupa XML as Coupa JSON', () => {
	test('typed values, nil, arrays and nested records read as Coupa returns them in JSON', () => {
		const xml = `<?xml version="1.0" encoding="UTF-8"?>
<requisition-header>
  <id type="integer">1204</id>
  <created-at type="dateTime">2016-10-07T06:56:43-07:00</created-at>
  <total type="decimal">120.50</total>
  <active type="boolean">true</active>
  <exported type="boolean">false</exported>
  <justification nil="true"/>
  <status>pending_approval</status>
  <requested-by>
    <id type="integer">7</id>
    <login>jdoe</login>
  </requested-by>
  <requisition-lines type="array">
    <requisition-line><id type="integer">1</id><description>Chairs &amp; desks</description></requisition-line>
    <requisition-line><id type="integer">2</id><description><![CDATA[<b>as typed</b>]]></description></requisition-line>
  </requisition-lines>
  <tags type="array"/>
  <custom-fields><cost-center>CC-1 &#x263A; &#9731;</cost-center></custom-fields>
</requisition-header>`;
		expect(parseXml(xml)).toEqual({
			root: 'requisition-header',
			value: {
				id: 1204,
				'created-at': '2016-10-07T06:56:43-07:00',
				total: '120.50',
				active: true,
				exported: false,
				justification: null,
				status: 'pending_approval',
				'requested-by': { id: 7, login: 'jdoe' },
				'requisition-lines': [
					{ id: 1, description: 'Chairs & desks' },
					{ id: 2, description: '<b>as typed</b>' },
				],
				tags: [],
				'custom-fields': { 'cost-center': 'CC-1 \u263A \u2603' },
			},
		});
	});

	test('repeated elements without type="array" become a list, in order', () => {
		expect(parseXml('<a><b>1</b><b>2</b><b>3</b><c/></a>').value).toEqual({
			b: ['1', '2', '3'],
			c: '',
		});
	});

	test('a one-element array stays a list; an integer beyond 2^53 keeps its digits', () => {
		expect(
			parseXml('<a><l type="array"><i>x</i></l><n type="integer">9007199254740993</n></a>').value,
		).toEqual({ l: ['x'], n: '9007199254740993' });
	});

	test("the simulator's Coupa-style XML of a record reads back as the record", () => {
		const record = {
			id: 3,
			name: 'Acme',
			'po-lines': [{ id: 1, description: 'x' }],
			'ship-to': { city: 'Austin' },
			note: null,
		};
		expect(parseXml(toXml('purchase-order', record)).value).toEqual({
			id: '3',
			name: 'Acme',
			'po-lines': [{ id: '1', description: 'x' }],
			'ship-to': { city: 'Austin' },
			note: null,
		});
	});

	test('an element named __proto__ is an ordinary key, not a prototype', () => {
		const value = parseXml('<a><__proto__><polluted>yes</polluted></__proto__></a>')
			.value as Record<string, unknown>;
		expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
		expect(Object.keys(value)).toEqual(['__proto__']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('hostile XML is refused, quickly, with a reason', () => {
	test('billion laughs: the DOCTYPE is refused before any entity is read', () => {
		const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><lolz>&lol9;</lolz>`;
		expect(refusal(laughs).message).toMatch(/DOCTYPE and ENTITY are not read/);
	});

	test('an external entity (XXE) is refused', () => {
		expect(
			refusal('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>').message,
		).toMatch(/DOCTYPE/);
	});

	test('an undeclared entity is refused, not echoed or dropped', () => {
		expect(refusal('<a>&lol9;</a>').message).toMatch(/entity "&lol9;" refused/);
		expect(refusal('<a>AT&T</a>').message).toMatch(/bare "&"/);
	});

	test('nesting deeper than the limit is refused without recursion (100,000 levels)', () => {
		const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`;
		expect(refusal(deep).message).toMatch(/nested deeper than 64/);
		expect(parseXml(`${'<a>'.repeat(64)}${'</a>'.repeat(64)}`).root).toBe('a');
	});

	test('a 50 MB body is refused by its size before it is decoded', () => {
		const big = Buffer.alloc(50 * 1024 * 1024, 0x20);
		big.write('<a>');
		const error = refusal(big);
		expect(error.tooLarge).toBe(true);
		expect(error.message).toMatch(/52428800 bytes refused: the limit is 10485760 bytes/);
	});

	test('too many elements are refused', () => {
		expect(
			refusal(`<a>${'<b/>'.repeat(11)}</a>`, { ...DEFAULT_XML_LIMITS, maxElements: 10 }).message,
		).toMatch(/more than 10 elements/);
	});

	test.each([
		['mismatched end tag', '<a><b></a></b>', /<\/a> where <\/b> was expected/],
		['unclosed root', '<a><b/>', /ends inside <a>/],
		['two roots', '<a/><b/>', /second root/],
		['text outside the root', 'hello <a/>', /text outside the root/],
		['no root', '<?xml version="1.0"?>', /no root element/],
		['unquoted attribute', '<a type=integer>1</a>', /not quoted/],
		['repeated attribute', '<a x="1" x="2"/>', /repeated/],
		['end tag alone', '</a>', /without a start tag/],
		['truncated tag', '<a><b', /not closed|expected/],
		['bad character reference', '<a>&#0;</a>', /not a character/],
		['surrogate reference', '<a>&#xD800;</a>', /not a character/],
		['unclosed comment', '<a><!-- x</a>', /unclosed comment/],
		['unclosed CDATA', '<a><![CDATA[x</a>', /unclosed CDATA/],
	])('%s', (_name, xml, reason) => {
		expect(refusal(xml).message).toMatch(reason);
	});

	test('bytes that are not UTF-8 are refused', () => {
		expect(
			refusal(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e])).message,
		).toMatch(/not valid UTF-8/);
	});

	test('random garbage never escapes as anything but a refusal', () => {
		let seed = 42;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const alphabet = [
			'<',
			'>',
			'/',
			'a',
			'b',
			'=',
			'"',
			"'",
			'&',
			';',
			'#',
			'x',
			'!',
			'?',
			'[',
			']',
			'-',
			' ',
			'type="array"',
			'nil="true"',
			'<![CDATA[',
			']]>',
			'<!--',
			'-->',
		];
		const escaped: string[] = [];
		for (let round = 0; round < 3000; round++) {
			const text = Array.from(
				{ length: 1 + Math.floor(random() * 40) },
				() => alphabet[Math.floor(random() * alphabet.length)],
			).join('');
			try {
				parseXml(text);
			} catch (error) {
				if (!(error instanceof XmlRefusal)) escaped.push(`${text}: ${String(error)}`);
			}
		}
		expect(escaped).toEqual([]);
	});
});

describe('the call out body', () => {
	const limits = DEFAULT_XML_LIMITS;
	const read = (body: string | undefined, parsed: unknown = {}) =>
		readCallOut(body === undefined ? undefined : Buffer.from(body), parsed, limits);
	const status = (body: string | undefined): number => {
		try {
			read(body);
		} catch (error) {
			expect(error).toBeInstanceOf(PayloadRefusal);
			return (error as PayloadRefusal).statusCode;
		}
		return 200;
	};

	test('JSON is the item as sent; XML its Coupa JSON shape, the root naming the object', () => {
		expect(read('{"id": 5, "updated-at": "2025-01-01T00:00:00Z"}')).toEqual({
			document: { id: 5, 'updated-at': '2025-01-01T00:00:00Z' },
			format: 'json',
			objectType: undefined,
		});
		expect(
			read('\ufeff<?xml version="1.0"?><invoice-header><id type="integer">9</id></invoice-header>'),
		).toEqual({ document: { id: 9 }, format: 'xml', objectType: 'invoice-header' });
		expect(read('[1,2]').document).toEqual({ documents: [1, 2] });
	});

	test('an empty body, garbage, bad JSON and oversized bodies are refused with 400, 415 and 413', () => {
		expect(status('')).toBe(400);
		expect(status('   \n')).toBe(400);
		expect(status(undefined)).toBe(400);
		expect(status('hello')).toBe(415);
		expect(status('{"id": ')).toBe(400);
		expect(status('<a><b></a>')).toBe(400);
		expect(() => readCallOut(Buffer.alloc(2048, 0x20), {}, { ...limits, maxBytes: 1024 })).toThrow(
			/larger than this trigger's limit of 1024 bytes/,
		);
	});

	test('a version key needs the object, its id and updated-at', () => {
		expect(
			versionKey(
				read(
					'<requisition-header><id type="integer">4</id><updated-at type="dateTime">2025-01-01T00:00:00Z</updated-at></requisition-header>',
				),
			),
		).toBe('requisition-header|4|2025-01-01T00:00:00Z');
		expect(versionKey(read('{"requisition-header": {"id": 4, "updated-at": "T1"}}'))).toBe(
			'requisition-header|4|T1',
		);
		expect(versionKey(read('{"id": 4}'))).toBeUndefined();
	});

	test('a repeat is one seen within the window; older ones are forgotten', () => {
		const seen = {};
		expect(isRepeat(seen, 'k', 0, 60_000)).toBe(false);
		expect(isRepeat(seen, 'k', 59_999, 60_000)).toBe(true);
		expect(isRepeat(seen, 'k', 60_000, 60_000)).toBe(false);
		expect(Object.keys(seen)).toEqual(['k']);
	});
});
