/** Filter conditions as Coupa's query parameters: the pure rules, without an engine. */
import type { FilterCondition } from '../../nodes/shared/operations/filters';
import { filterKey, filterQuery } from '../../nodes/shared/operations/filters';

class Refused extends Error {}
const refuse = (message: string): never => {
	throw new Refused(message);
};
const query = (...conditions: FilterCondition[]) => filterQuery(conditions, refuse);

describe('filterKey', () => {
	test.each([
		['status', 'status'],
		['supplier.name', 'supplier[name]'],
		['supplier[name]', 'supplier[name]'],
		[' supplier . name ', 'supplier[name]'],
		['order-lines[account][code]', 'order-lines[account][code]'],
		['custom-fields[project-code]', 'custom-fields[project-code]'],
		['supplier.', ''],
		['', ''],
	])('%j -> %j', (field, key) => expect(filterKey(field)).toBe(key));
});

describe('filterQuery', () => {
	test('equals is a plain parameter, other operators are bracketed', () => {
		expect(
			query(
				{ field: 'status', value: 'issued' },
				{ field: 'updated-at', operator: 'gt', value: '2026-01-01' },
			),
		).toEqual([
			['status', 'issued'],
			['updated-at[gt]', '2026-01-01'],
		]);
	});

	test('In List takes a list or a comma-separated text', () => {
		expect(query({ field: 'id', operator: 'in', value: [1, 2, 3] })).toEqual([['id[in]', '1,2,3']]);
		expect(query({ field: 'id', operator: 'in', value: '1,2' })).toEqual([['id[in]', '1,2']]);
	});

	test('several exclusions on one field become one Not In List', () => {
		expect(
			query(
				{ field: 'status', operator: 'not_eq', value: 'draft' },
				{ field: 'status', operator: 'not_eq', value: 'void' },
			),
		).toEqual([['status[not_in]', 'draft,void']]);
	});

	test.each<[string, FilterCondition]>([
		['an empty field', { field: '', value: 'x' }],
		['an unknown operator', { field: 'status', operator: 'like', value: 'x' }],
		['an object as value', { field: 'supplier', value: { id: 3 } as unknown as string }],
		['a listing option as field', { field: 'limit', value: '5' }],
		['Is Blank with a word', { field: 'po-number', operator: 'blank', value: 'maybe' }],
	])('%s is refused', (_, condition) => {
		expect(() => query(condition)).toThrow(Refused);
	});

	test('a field equal to a value cannot be sent with a condition on one of its parts', () => {
		expect(() =>
			query({ field: 'supplier', value: '3' }, { field: 'supplier.name', value: 'Acme' }),
		).toThrow(/cannot be sent together/);
	});
});
