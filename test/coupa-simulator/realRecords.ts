/**
 * Records shaped and sized like Coupa's (the bench's own seed): a purchase order with its lines,
 * supplier, addresses and users embedded as Coupa's JSON embeds them (about 12 KB), and a
 * supplier with its addresses and contacts (about 16 KB). The simulator's own seed is small; these replace it where size matters (the benchmark).
 */
import type { CoupaSimulator } from './CoupaSimulator';
import type { SimRecord } from './resources';

const at = (i: number) => new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();

const user = (i: number) => ({
	id: 100 + (i % 40),
	login: `buyer${i % 40}`,
	email: `buyer${i % 40}@example.com`,
	firstname: `Buyer${i % 40}`,
	lastname: `Example${i % 40}`,
	'employee-number': `E${10000 + (i % 40)}`,
	active: true,
	'purchasing-user': true,
	'created-at': at(i),
	'updated-at': at(i + 1),
	'default-locale': 'en',
	'default-currency': { id: 1, code: 'USD', decimals: 2 },
	'default-address': {
		id: 7,
		name: 'HQ',
		street1: '1 Main Street',
		city: 'Austin',
		state: 'TX',
		'postal-code': '78701',
		country: { id: 223, code: 'US', name: 'United States' },
	},
});

const address = (i: number) => ({
	id: 500 + (i % 60),
	name: `Warehouse ${i % 60}`,
	'location-code': `WH-${i % 60}`,
	street1: `${100 + (i % 900)} Industrial Parkway`,
	street2: `Dock ${i % 12}`,
	city: ['Austin', 'Berlin', 'Lyon', 'Osaka'][i % 4],
	state: 'TX',
	'postal-code': `${70000 + (i % 999)}`,
	country: { id: 223, code: 'US', name: 'United States' },
	attention: `Receiving team ${i % 7}`,
	active: true,
	'created-at': at(i),
	'updated-at': at(i + 2),
});

const account = (i: number) => ({
	id: 900 + (i % 80),
	name: `Operations-${i % 80}`,
	code: `ACC-${1000 + (i % 80)}`,
	active: true,
	'account-type': { id: 1, name: 'Default chart of accounts' },
	segment1: 'US01',
	segment2: `CC${100 + (i % 30)}`,
	segment3: `GL${6000 + (i % 50)}`,
	segment4: 'P000',
	segment5: null,
	'created-at': at(i),
	'updated-at': at(i + 3),
});

const line = (po: number, n: number) => ({
	id: po * 10 + n,
	'line-num': n,
	description: `Line ${n} of PO ${po}: industrial supplies, assorted, per the attached specification`,
	'order-header-id': po,
	status: 'created',
	type: 'OrderQuantityLine',
	quantity: `${(po % 9) + n}.0`,
	price: `${((po * 7 + n) % 900) + 0.99}`,
	total: `${(((po * 7 + n) % 900) + 0.99) * ((po % 9) + n)}`,
	'need-by-date': at(po + 10_000),
	'source-part-num': `SKU-${po % 1000}-${n}`,
	'supp-aux-part-num': null,
	received: '0.0',
	invoiced: '0.0',
	'created-at': at(po),
	'updated-at': at(po + 1),
	account: account(po + n),
	commodity: {
		id: 30 + (n % 5),
		name: ['Office', 'IT', 'Facilities', 'Travel', 'Services'][n % 5],
		active: true,
	},
	uom: { id: 1, code: 'EA', name: 'Each', 'allowable-precision': 0 },
	currency: { id: 1, code: 'USD', decimals: 2 },
	'created-by': { id: 100 + (po % 40), login: `buyer${po % 40}` },
	'custom-fields': {
		'project-code': `PRJ-${po % 77}`,
		'cost-centre': `CC${po % 30}`,
		'gl-override': null,
	},
	'account-allocations': [],
});

const supplierRef = (i: number) => ({
	id: (i % 12) + 1,
	name: `Acme Supply ${(i % 12) + 1}`,
	number: `SUP-${(i % 12) + 1}`,
	status: 'active',
	'display-name': `Acme Supply ${(i % 12) + 1}`,
	'po-method': 'email',
	'po-email': `orders${i % 12}@acme.example`,
	'payment-method': 'invoice',
	'invoice-matching-level': '3-way',
	'primary-address': address(i),
	'primary-contact': {
		id: 300 + (i % 12),
		'name-given': 'Pat',
		'name-family': `Supplier${i % 12}`,
		email: `pat${i % 12}@acme.example`,
		'phone-work': { number: '555-0100', 'country-code': '1' },
	},
	'payment-term': { id: 2, code: 'Net 30', 'days-for-net-payment': 30 },
	'shipping-term': { id: 3, code: 'FOB', description: 'Free on board' },
	'created-at': at(i),
	'updated-at': at(i + 5),
});

/** A purchase order as Coupa returns it: lines, supplier, addresses and users embedded. */
export function realPurchaseOrder(record: SimRecord): SimRecord {
	const i = record.id;
	return {
		...record,
		type: 'ExternalOrderHeader',
		'acknowledged-flag': false,
		'ship-to-attention': `Receiving ${i % 7}`,
		'payment-method': 'invoice',
		'hide-price': false,
		'transmission-status': 'sent_via_email',
		'internal-revision': 1,
		'change-type': 'change',
		'order-lines': [1, 2, 3, 4, 5, 6, 7, 8].map((n) => line(i, n)),
		supplier: supplierRef(i),
		'ship-to-address': address(i + 1),
		'ship-to-user': user(i),
		'created-by': user(i + 1),
		'updated-by': user(i + 2),
		requisition: {
			id: 40_000 + i,
			'requisition-number': `REQ-${40_000 + i}`,
			status: 'ordered',
			requester: user(i + 3),
		},
		'payment-term': { id: 2, code: 'Net 30', 'days-for-net-payment': 30 },
		'shipping-term': { id: 3, code: 'FOB', description: 'Free on board' },
		'custom-fields': { 'external-ref': `ERP-${i}`, 'budget-code': `B${i % 99}`, region: 'NA' },
		attachments: [],
	} as SimRecord;
}

/** A supplier as Coupa returns it, with its addresses, contacts and remit-to addresses. */
export function realSupplier(record: SimRecord): SimRecord {
	const i = record.id;
	return {
		...supplierRef(i - 1),
		...record,
		'supplier-addresses': Array.from({ length: 14 }, (_, n) => address(i * 14 + n)),
		'supplier-contacts': Array.from({ length: 12 }, (_, n) => ({
			...user(i + n),
			'contact-type': 'sales',
		})),
		'remit-to-addresses': Array.from({ length: 10 }, (_, n) => ({
			...address(i * 10 + n),
			'remit-to-code': `R${n}`,
		})),
		'commodity-coverage': Array.from({ length: 8 }, (_, n) => ({
			id: n,
			name: `Commodity ${n}`,
			active: true,
		})),
		'custom-fields': Object.fromEntries(
			Array.from({ length: 10 }, (_, n) => [`field-${n}`, `value ${n} of supplier ${i}`]),
		),
	} as SimRecord;
}

/** Replaces the simulator's purchase orders and suppliers with real-size ones. */
export function seedRealRecords(coupa: CoupaSimulator): void {
	const orders = coupa.records('purchase_orders');
	orders.forEach((record, index) => (orders[index] = realPurchaseOrder(record)));
	const suppliers = coupa.records('suppliers');
	suppliers.forEach((record, index) => (suppliers[index] = realSupplier(record)));
}
