/** The one id rule and the record a URL names, without an engine. */
import { coupaRecordId, idFromUrl, resolveRecordId } from '../../nodes/shared/operations/recordId';

const target = {
	name: 'Purchase Order',
	label: 'Purchase Order',
	uiPath: 'order_headers',
	apiPath: 'purchase_orders',
};
const instance = 'https://acme.coupahost.com';

describe('coupaRecordId', () => {
	test.each([
		['1234', '1234'],
		['0012', '12'],
		['9223372036854775807', '9223372036854775807'],
	])('%s is the id %s', (text, id) => expect(coupaRecordId(text)).toBe(id));

	test.each([
		'',
		'0',
		'000',
		'-3',
		'12.5',
		'abc',
		' 12',
		'9223372036854775808',
		'12345678901234567890123',
	])('%j is no id', (text) => {
		expect(coupaRecordId(text)).toBeUndefined();
	});
});

describe('URLs', () => {
	test.each([
		'https://acme.coupahost.com/order_headers/1005',
		'https://acme.coupahost.com/order_headers/show/1005',
		'acme.coupahost.com/order_headers/1005/edit',
		'https://acme.coupahost.com/api/purchase_orders/1005',
	])('%s names record 1005', (url) => expect(idFromUrl(url, target, instance)).toBe('1005'));

	test('another instance is refused', () => {
		expect(() =>
			idFromUrl('https://other.coupahost.com/order_headers/1005', target, instance),
		).toThrow(/not on the credential's Coupa instance/);
	});

	test("another object's page is refused", () => {
		expect(() => idFromUrl('https://acme.coupahost.com/invoices/1005', target, instance)).toThrow(
			/is the page of an invoice, not of a purchase order/,
		);
	});

	test('a locator value in each mode, and a plain value of an older workflow', () => {
		expect(resolveRecordId({ __rl: true, mode: 'id', value: '0042' }, target, instance)).toBe('42');
		expect(
			resolveRecordId(
				{ __rl: true, mode: 'url', value: `${instance}/order_headers/7` },
				target,
				instance,
			),
		).toBe('7');
		expect(resolveRecordId(`${instance}/order_headers/8`, target, instance)).toBe('8');
		expect(() => resolveRecordId({ __rl: true, mode: 'id', value: '' }, target, instance)).toThrow(
			/is empty/,
		);
	});
});
