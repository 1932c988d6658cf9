/**
 * What Coupa's specs lack or get wrong, written by hand: names people read, scopes (Coupa's scope
 * table), one-line descriptions in our own words, web UI paths, and the corrections Compass makes
 * to the specs. Everything else about an object comes from the generated digest.
 */
import type { HttpMethod } from './digest';

/** An operation Compass documents that the R39 specs lack. */
export interface ExtraOperation {
	value: string;
	method: HttpMethod;
	/** Path under `/api/`, with `{id}` for a record. */
	path: string;
	kind: 'collection' | 'member' | 'memberAction' | 'collectionAction';
	action?: string;
	form?: string[];
	/** Where Compass documents it. */
	source: string;
}

export interface ResourceOverlay {
	/** Display name, where the one derived from the value reads badly. */
	name?: string;
	/** One line for the Resource list and for AI agents choosing a tool. */
	description?: string;
	/** Scope family (`core.purchase_order`): reads need `.read`, writes `.write`. */
	scope?: string;
	/** Scopes Coupa documents for particular operations, any one of which grants it. */
	operationScopes?: Record<string, string[]>;
	/** Operation values renamed (spec value → node value), kept from the first release. */
	rename?: Record<string, string>;
	/** Operations (node values) that answer a file, downloaded as binary data. */
	files?: string[];
	/** Operations (spec values) left out, with the reason from Compass. */
	omit?: Record<string, string>;
	extra?: ExtraOperation[];
	/** One-line descriptions of operations (node values), where the generic one says too little. */
	operations?: Record<string, string>;
	/**
	 * The record's page in Coupa's web UI: `/{uiPath}/{id}`. Seen in page addresses of real
	 * instances: order_headers, requisition_headers, invoices (also `/{id}/edit`), suppliers/show,
	 * contracts, expense_reports; the others follow Coupa's habit of naming a page after the
	 * object's collection. URLs are read with or without `show/` and with any tail (`/edit`).
	 */
	uiPath?: string;
	/** Fields that name a record for a person (record picker), the first one searched with `[contains]`. */
	title?: string[];
	/** The record's key fields for Simplify (Coupa's `fields` syntax). */
	simplify?: unknown[];
	/**
	 * Default matching columns of Create or Update, from Compass's unique keys. `segments` stands for
	 * every `segment-N` the record gives; `code` of an account is its segments joined with `-`.
	 */
	match?: string[];
	/** The Compass page (or example call) whose unique keys `match` follows. */
	matchEvidence?: string;
	/** Fields Create (and the create of Create or Update) sends unless given: what Compass documents the call as. */
	createDefaults?: Record<string, string>;
	/**
	 * The fields Coupa needs to create a record, where the spec's `required` list asks for more than
	 * Coupa does (Compass's example calls create these records without the rest).
	 */
	required?: string[];
	/** Where `required` comes from (a Compass page or example call): it decides the required-field disagreements. */
	requiredEvidence?: string;
	/**
	 * Disagreements between the spec and Compass where the spec's side is kept, `field:kind` →
	 * the evidence (a Compass page or example call). Every other disagreement is decided by a rule.
	 */
	compass?: Record<string, string>;
	/** A field's type where both the spec and Compass's table get it wrong, with the evidence. */
	fieldTypes?: Record<string, { type: 'boolean' | 'string'; evidence: string }>;
	/** The record's array of lines, filled by the Lines parameter of Create, Update and Create or Update. */
	lines?: string;
}

/**
 * How a reference to another record is written when the mapper offers it as one column, by the
 * referenced schema: `{"currency": {"code": "USD"}}`. Every other reference is written by `id`.
 * Compass's example calls reference these records by the same keys.
 */
export const REFERENCE_KEYS: Record<string, string> = {
	AccountType: 'name',
	Country: 'code',
	Currency: 'code',
	Lookup: 'name',
	PaymentTerm: 'code',
	ShippingTerm: 'code',
	Uom: 'code',
	User: 'login',
	UserSimple: 'login',
};

/** Objects written inside the record rather than referenced (a phone number has no id to point at). */
export const EMBEDDED_SCHEMAS = new Set(['PhoneNumber']);

/** Fields Coupa fills itself though the spec does not flag them read-only. */
export const AUDIT_FIELDS = new Set(['created-by', 'updated-by']);

// Compass (Addresses API Example Calls) creates addresses without a local tax number.
const ADDRESS_REQUIRED = ['street1', 'city', 'postal-code', 'country'];

/** Scope family by resource value, first match wins (the spec files' declared scopes). */
export const SCOPE_RULES: Array<[RegExp, string]> = [
	[/^(account|accountGroup|accountType|accountValidationRule)$/, 'core.accounting'],
	[/^approval$/, 'core.approval'],
	[/^budgetLine/, 'core.budget'],
	[/^businessEntity$/, 'core.business_entity'],
	[/^contractTemplate$/, 'core.contracts_template'],
	[/^(contract|legalDocument|contractTerm|contractBusinessGroup)/, 'core.contract'],
	[/Comment$|^comment$/, 'core.comment'],
	[/EasyFormResponse$|^easyFormResponse/, 'core.easy_form_response'],
	[/^expense/, 'core.expense'],
	[/^financialCounterparty$/, 'core.financial_counterparty'],
	[/^integration|^supplierUserIntegrationContact$/, 'core.integration'],
	[/^inventoryAdjustment/, 'core.inventory.adjustment'],
	[/^inventoryConsumption/, 'core.inventory.consumption'],
	[/^inventoryTransfer/, 'core.inventory.transfer'],
	[/^returnToSupplierTransaction/, 'core.inventory.return_to_supplier'],
	// Receipts: Coupa's scope table has core.inventory.receiving, no core.inventory.transaction.
	[/^(inventoryTransaction|receivingTransaction)/, 'core.inventory.receiving'],
	[/^inventory$/, 'core.inventory.balance'],
	[/^asn/, 'core.inventory.asn'],
	[/^cycleCount/, 'core.inventory.cycle_counts'],
	[/^pickList$/, 'core.inventory.pick_list'],
	[/^(warehouse|location|defaultReceivingLocation|inspectionCode)$/, 'core.inventory.common'],
	[
		/^(invoice|invoiceRemitToAddress|invoiceEmail|supplierInvoiceEmail|paymentReceipt)/,
		'core.invoice',
	],
	[/^(item|supplierItem|itemSupplierItem)$/, 'core.item'],
	[/^legalEntity$/, 'core.legal_entity'],
	[/^(translation|commodityTranslation)$/, 'core.object_translations'],
	[/^payablesAllocation/, 'core.payables.allocations'],
	[/^payablesExternal/, 'core.payables.external'],
	[/^payablesInvoice/, 'core.payables.invoice'],
	[/^payablesOrder/, 'core.payables.order'],
	[/^coupaPay/, 'core.pay.payments'],
	[/^(project|task|userGroupTask)/, 'core.project'],
	[/^(purchaseOrder|receivablePurchaseOrderLine)/, 'core.purchase_order'],
	[/^orderPad/, 'core.order_pad'],
	[/^requisition/, 'core.requisition'],
	[/^(pendingQuoteSupplier|quoteSupplier)$/, 'core.sourcing.pending_supplier'],
	[/^quoteResponse|^quoteRequestQuoteResponse$/, 'core.sourcing.response'],
	[/^quote/, 'core.sourcing'],
	[
		/^supplierInformationSite|^supplierInformationSupplierInformationSite$/,
		'core.supplier_information_sites',
	],
	[/^supplierInformationTaxRegistration$/, 'core.supplier_information_tax_registrations'],
	[/^supplierSharingSetting$/, 'core.supplier_sharing_settings'],
	[/^(supplier|remitToAddress)/, 'core.supplier'],
	[/^(userGroup|userGroupMembership)/, 'core.user_group'],
	[/^user/, 'core.user'],
	[/.*/, 'core.common'],
];

const APPROVALS_COME_FROM_CHAINS =
	"Compass (Approvals API): approvals are made by Coupa's approval chains, every field of Approval is read-only";

/** Inventory and receiving transactions are one record shape in Coupa: one title and Simplify serve both. */
const TRANSACTION_KEYS: Pick<ResourceOverlay, 'title' | 'simplify'> = {
	title: ['id', 'order-line.order-header-number', 'item.name'],
	simplify: [
		'id',
		'type',
		'status',
		'quantity',
		'total',
		{ item: ['id', 'name'] },
		{ 'order-line': ['id', 'order-header-number'] },
		'transaction-date',
		'exported',
		'updated-at',
	],
};

export const OVERLAY: Record<string, ResourceOverlay> = {
	account: {
		description: 'Chart-of-accounts combinations (segments) used to code spend',
		uiPath: 'accounts',
		// Compass: the name is an optional nickname, usually blank; people know an account by its code.
		title: ['code', 'name'],
		simplify: ['id', 'name', 'code', 'active', { 'account-type': ['id', 'name'] }, 'updated-at'],
		match: ['account-type', 'code'],
		matchEvidence:
			'Compass: Accounts API (code is all segments joined with a hyphen) and Account Import (segments without gaps, per chart of accounts)',
	},
	address: {
		description: 'Ship-to and bill-to addresses',
		uiPath: 'addresses',
		title: ['name', 'street1', 'city'],
		simplify: [
			'id',
			'name',
			'location-code',
			'street1',
			'city',
			'postal-code',
			{ country: ['code'] },
			'active',
			'updated-at',
		],
		match: ['location-code'],
		matchEvidence: 'Compass: Address API (location-code unique)',
		required: ADDRESS_REQUIRED,
		requiredEvidence:
			'Compass: Addresses API Example Calls (an address created without a local tax number)',
	},
	approval: {
		description:
			'Approval steps of requisitions, invoices, orders and expenses: approve, reject or hold',
		// No page of its own in Coupa's web UI: an approval shows on the document it approves.
		title: ['id', 'status', 'approvable-type'],
		// `approver` is a user or a user group (no schema in the spec): kept whole.
		simplify: [
			'id',
			'status',
			'approvable-type',
			'approvable-id',
			'approver-type',
			'approver',
			'position',
			'approval-date',
			'updated-at',
		],
		omit: { create: APPROVALS_COME_FROM_CHAINS, update: APPROVALS_COME_FROM_CHAINS },
		operations: {
			approve: 'Approve a pending approval',
			reject: 'Reject a pending approval, with an optional reason',
			hold: 'Put a pending approval on hold',
		},
	},
	budgetLine: {
		description: 'Budget lines and their amounts',
		uiPath: 'budget_lines',
		title: ['description', 'period.name'],
		simplify: [
			'id',
			'description',
			'amount',
			'remaining',
			{ currency: ['code'] },
			{ period: ['name'] },
			'updated-at',
		],
		match: ['period', 'segments'],
		matchEvidence: 'Compass: Budget Line Import (Budgeting Segment and Period are the keys)',
		operations: { adjust: 'Adjust the amount of a budget line' },
	},
	businessGroup: {
		description: 'Content groups that control who sees suppliers, contracts and users',
		uiPath: 'business_groups',
		title: ['name'],
		match: ['name'],
		matchEvidence: 'Compass: Content Groups API (name unique)',
	},
	comment: {
		description: 'Comments on documents (orders, invoices, requisitions, contracts)',
		title: ['comments'],
	},
	commodity: {
		description: 'Commodities (spend categories)',
		uiPath: 'commodities',
		title: ['name'],
		match: ['name'],
		matchEvidence: 'Compass: Commodities API (name unique)',
	},
	contract: {
		description: 'Contracts with suppliers, their terms and approval',
		uiPath: 'contracts',
		title: ['name', 'number'],
		simplify: [
			'id',
			'name',
			'number',
			'status',
			{ supplier: ['id', 'name'] },
			'start-date',
			'end-date',
			{ currency: ['code'] },
			'updated-at',
		],
		match: ['number'],
		matchEvidence: 'Compass: Contracts API (number unique)',
		rename: {
			retrieveLegalAgreement: 'downloadLegalAgreement',
			legalAgreement: 'uploadLegalAgreement',
		},
		files: ['downloadLegalAgreement'],
		operations: {
			submitForApproval: 'Submit a draft contract for approval',
			complete: 'Complete a contract',
		},
	},
	currency: {
		description: 'Currencies enabled in Coupa (no timestamps, so no trigger)',
		uiPath: 'currencies',
		title: ['code', 'name'],
		simplify: ['id', 'code', 'name', 'decimals', 'enabled'],
	},
	dataFileSource: {
		description: 'Flat-file loads into Coupa: status (Done or Failed), counts and rejected rows',
		// Compass (DataFileSources API Example Calls): what follows a load to its end.
		simplify: [
			'id',
			'type',
			'source-for',
			'status',
			'file-file-name',
			'records-count',
			'records-created',
			'records-updated',
			'result-text',
			'upload-errors-count',
			'upload-errors',
			'start-time',
			'end-time',
			'updated-at',
		],
	},
	department: {
		description: 'Departments users and documents belong to',
		uiPath: 'departments',
		title: ['name'],
		match: ['name'],
		matchEvidence: 'Compass: Departments API (name unique)',
	},
	exchangeRate: {
		description: 'Exchange rates between currencies',
		uiPath: 'exchange_rates',
		title: ['from-currency.code', 'to-currency.code', 'rate-date'],
		simplify: [
			'id',
			{ 'from-currency': ['code'] },
			{ 'to-currency': ['code'] },
			'rate',
			'rate-date',
		],
	},
	expenseLine: {
		description: 'Lines of expense reports',
		uiPath: 'expense_lines',
		title: ['description'],
		match: ['external-src-ref'],
		matchEvidence: 'Compass: Expense Lines API (external-src-ref is unique)',
	},
	expenseReport: {
		description: 'Expense reports of employees, their approval and export',
		uiPath: 'expense_reports',
		title: ['title'],
		simplify: [
			'id',
			'title',
			'status',
			'total',
			{ currency: ['code'] },
			{ 'expensed-by': ['id', 'login', 'fullname'] },
			'submitted-at',
			'exported',
			'updated-at',
		],
		// Compass (Attachments API) lists expense reports among the records taking attachments; the R39 specs do not.
		extra: [
			{
				value: 'uploadAttachment',
				method: 'POST',
				path: 'expense_reports/{id}/attachments',
				kind: 'memberAction',
				action: 'attachments',
				form: ['attachment[file]', 'attachment[type]', 'attachment[intent]'],
				source: 'Compass: Attachments API',
			},
			{
				value: 'getAttachments',
				method: 'GET',
				path: 'expense_reports/{id}/attachments',
				kind: 'memberAction',
				action: 'attachments',
				source: 'Compass: Attachments API',
			},
		],
		operations: { submit: 'Submit an expense report for approval' },
		compass: {
			'start-date:type':
				"Compass: Expense Reports API (start-date is described as the report's start date; its type cell says boolean)",
		},
	},
	integrationError: { description: 'Errors integrations report to Coupa, for monitoring' },
	integrationHistoryRecord: {
		description: 'History records of integration runs, with Mark Exported',
	},
	integrationRun: {
		description: 'Runs of integrations: start, finish, fail, for monitoring in Coupa',
	},
	inventory: {
		name: 'Inventory Balance',
		description: 'On-hand inventory balances per item and location',
	},
	inventoryTransaction: {
		description: 'Receipts and other inventory transactions (three-way match)',
		uiPath: 'inventory_transactions',
		...TRANSACTION_KEYS,
		operations: { void: 'Void an inventory transaction' },
	},
	invoice: {
		description: 'Supplier invoices and credit notes: submit, approve, dispute, void, export',
		uiPath: 'invoices',
		title: ['invoice-number', 'supplier.name'],
		simplify: [
			'id',
			'invoice-number',
			'status',
			'invoice-date',
			{ supplier: ['id', 'name'] },
			'gross-total',
			{ currency: ['code'] },
			'exported',
			'created-at',
			'updated-at',
		],
		match: ['invoice-number', 'supplier'],
		matchEvidence:
			'Compass: Invoices Import (Unique Keys: Invoice Number with Supplier Name or Number)',
		// Compass (Invoices API): the other fields its table marks required apply to compliant invoices or credit notes only.
		required: ['invoice-number', 'invoice-date', 'supplier'],
		requiredEvidence:
			"Compass: Invoices API (the table's other required fields are for compliant invoices and credit notes)",
		lines: 'invoice-lines',
		rename: {
			retrieveImageScan: 'downloadImageScan',
			retrieveLegalInvoicePdf: 'downloadLegalPdf',
			retrieveClearanceDocument: 'downloadClearanceDocument',
			imageScan: 'uploadImageScan',
		},
		files: ['downloadImageScan', 'downloadLegalPdf', 'downloadClearanceDocument'],
		// Coupa's scope table: void and abandon need core.invoice.delete.
		operationScopes: {
			create: ['core.invoice.create', 'core.invoice.write'],
			delete: ['core.invoice.delete'],
			void: ['core.invoice.delete'],
			abandon: ['core.invoice.delete'],
			bypassApprovals: ['core.invoice.approval.bypass'],
			bypassCurrentApproval: ['core.invoice.approval.bypass'],
			restartApprovals: ['core.invoice.approval.write'],
			addApprover: ['core.invoice.approval.write'],
			removeApproval: ['core.invoice.approval.write'],
		},
		// Compass (Invoices API) documents creating invoices; the R39 Invoicing spec has no POST /invoices.
		extra: [
			{
				value: 'create',
				method: 'POST',
				path: 'invoices',
				kind: 'collection',
				source: 'Compass: Invoices API (POST /api/invoices)',
			},
		],
		operations: {
			submit: 'Submit a draft invoice',
			abandon: 'Abandon a draft invoice',
			void: 'Void an approved invoice',
			dispute: 'Dispute an invoice with the supplier',
			withdrawDispute: 'Withdraw the dispute of an invoice',
			bypassApprovals: 'Approve an invoice without its approval chain',
			restartApprovals: 'Restart the approval chain of an invoice',
		},
	},
	item: {
		description: 'Catalog items',
		uiPath: 'items',
		title: ['name', 'item-number'],
		simplify: [
			'id',
			'name',
			'item-number',
			'description',
			{ uom: ['code'] },
			'active',
			'updated-at',
		],
		match: ['item-number'],
		matchEvidence: 'Compass: Items API (item-number unique)',
		// Compass (Catalog Items Example Calls) creates an item without manufacturer, weights or pack sizes.
		required: ['name', 'description'],
		requiredEvidence:
			'Compass: Catalog Items Example Calls (an item created from name and description)',
	},
	location: { name: 'Warehouse Location' },
	lookup: {
		description: 'Lookups: admin-defined lists of values',
		uiPath: 'lookups',
		title: ['name'],
		match: ['name'],
		matchEvidence: 'Compass: Lookup Import (Lookup Name unique)',
	},
	lookupValue: {
		description: 'Values of lookups, such as custom field choices',
		uiPath: 'lookup_values',
		title: ['name', 'external-ref-num'],
		simplify: [
			'id',
			'name',
			'external-ref-num',
			'external-ref-code',
			'active',
			{ lookup: ['id', 'name'] },
			'updated-at',
		],
		// Unique per lookup and parent: a value of another lookup with the same number is another value.
		match: ['lookup', 'external-ref-num'],
		matchEvidence: 'Compass: Lookup Import (External Ref Num unique per Lookup and Parent)',
	},
	objectInstance: {
		name: 'Custom Object Record',
		description: 'Records of custom objects an admin defined',
	},
	paymentTerm: {
		description: 'Payment terms such as Net 30',
		uiPath: 'payment_terms',
		title: ['code'],
		match: ['code'],
		matchEvidence: 'Compass: Payment Terms API (code unique)',
	},
	pickList: { name: 'Pick List' },
	project: { description: 'Projects and their tasks', uiPath: 'projects', title: ['name'] },
	purchaseOrder: {
		description: 'Purchase orders: issue, cancel, close, reopen, export',
		uiPath: 'order_headers',
		title: ['po-number', 'supplier.name'],
		// The R39 OrderHeader has no total: the lines carry the amounts.
		simplify: [
			'id',
			'po-number',
			'status',
			'version',
			{ supplier: ['id', 'name'] },
			{ requester: ['id', 'login', 'fullname'] },
			{ currency: ['code'] },
			'exported',
			'created-at',
			'updated-at',
		],
		match: ['po-number'],
		matchEvidence: 'Compass: Purchase Orders API (po-number unique)',
		lines: 'order-lines',
		// Compass (Purchase Orders API): POST /api/purchase_orders creates an external PO, not a Coupa PO;
		// Coupa POs come from approved requisitions.
		createDefaults: { type: 'ExternalOrderHeader' },
		operations: {
			create:
				'Create an external purchase order (type ExternalOrderHeader), one issued outside Coupa; Coupa POs come from approved requisitions',
			upsert:
				'Create or update a purchase order: one that matches is updated, else an external purchase order (type ExternalOrderHeader) is created',
			issue: 'Issue a purchase order and send it to the supplier',
			issueWithoutSend: 'Issue a purchase order without sending it to the supplier',
			ignoreWindowAndIssue: "Issue a purchase order now, ignoring the supplier's order window",
			cancel: 'Cancel a purchase order',
			close: 'Close a purchase order',
			reopen: 'Reopen a closed purchase order',
			releaseFromBuyerHold: 'Release a purchase order held for buyer review',
		},
	},
	purchaseOrderChange: {
		description: 'Change requests on purchase orders',
		uiPath: 'order_header_changes',
		title: ['id', 'po-number', 'status'],
		operations: { submitForApproval: 'Submit a purchase order change for approval' },
	},
	purchaseOrderLine: {
		description: 'Lines of purchase orders: soft-close and reopen for receiving or invoicing',
		uiPath: 'order_lines',
		title: ['order-header-number', 'line-num', 'description'],
		simplify: [
			'id',
			'line-num',
			'description',
			'quantity',
			'price',
			'total',
			'status',
			'order-header-id',
			{ currency: ['code'] },
			'updated-at',
		],
		operations: {
			softCloseForReceiving: 'Soft-close a line so it takes no more receipts',
			softCloseForInvoicing: 'Soft-close a line so it takes no more invoices',
			reopenForReceiving: 'Reopen a line soft-closed for receiving',
			reopenForInvoicing: 'Reopen a line soft-closed for invoicing',
		},
	},
	quoteRequest: {
		description: 'Sourcing events (quote requests)',
		uiPath: 'quotes/requests',
		title: ['description'],
	},
	receivingTransaction: {
		description: 'Receipts of goods and services against order lines (three-way match)',
		uiPath: 'receiving_transactions',
		...TRANSACTION_KEYS,
	},
	remitToAddress: {
		description: "Suppliers' remit-to addresses, where payments go",
		title: ['name', 'remit-to-code'],
		match: ['remit-to-code'],
		matchEvidence: 'Compass: Remit-To Addresses API (remit-to-code unique)',
		required: ['remit-to-code', ...ADDRESS_REQUIRED],
		requiredEvidence: 'Compass: Remit-To Addresses API and Addresses API Example Calls',
	},
	requisition: {
		description: 'Purchase requisitions: create, submit for approval, cart',
		uiPath: 'requisition_headers',
		// People know a requisition by its number, which is its id ("Req 3001").
		title: ['id', 'req-title', 'requested-by.login'],
		// `currency` is a plain code on a requisition.
		simplify: [
			'id',
			'req-title',
			'status',
			{ 'requested-by': ['id', 'login', 'fullname'] },
			'total',
			'currency',
			'submitted-at',
			'exported',
			'created-at',
			'updated-at',
		],
		// Compass (Requisitions API Example Calls): Coupa fills the requester, creator and ship-to address from the user.
		required: ['requisition-lines'],
		fieldTypes: {
			'hide-price': {
				type: 'boolean',
				evidence:
					'Compass: Requisitions API (hide-price "True or False"; the type column repeats the spec)',
			},
		},
		requiredEvidence:
			'Compass: Requisitions API Example Calls (Coupa fills requester, creator and ship-to address from the user)',
		lines: 'requisition-lines',
		operations: {
			submitForApproval: 'Create a requisition and submit it for approval',
			createAsCart: "Create a requisition in the requester's cart",
			updateAndSubmitForApproval: 'Update a requisition and submit it for approval',
		},
	},
	supplier: {
		description: 'Suppliers: create, update and sync vendor master data',
		uiPath: 'suppliers/show',
		title: ['name', 'number'],
		simplify: [
			'id',
			'name',
			'display-name',
			'number',
			'status',
			{ 'payment-term': ['code'] },
			{ 'primary-contact': ['email'] },
			'updated-at',
		],
		match: ['number'],
		matchEvidence: 'Compass: Suppliers API (number unique)',
		// Compass marks both required, and every supplier its example calls create ("Draft and Basic" too) sends both.
		required: ['name', 'invoice-matching-level'],
		requiredEvidence:
			"Compass: Suppliers API (Req'd) and Suppliers API Example Calls (each create sends name and invoice-matching-level)",
	},
	// Required fields from the reconciliation: Compass's table (the cXML fields only when the PO method is cXML).
	supplierSite: {
		description: 'Supplier sites',
		uiPath: 'supplier_sites',
		title: ['name', 'code'],
		match: ['code'],
		matchEvidence: 'Compass: Supplier Sites API (code unique)',
	},
	invoiceRemitToAddress: {
		required: ['remit-to-code', ...ADDRESS_REQUIRED],
		requiredEvidence: 'Compass: Remit-To Addresses API and Addresses API Example Calls',
	},
	userAddress: {
		required: ADDRESS_REQUIRED,
		requiredEvidence:
			'Compass: Addresses API Example Calls (an address created without a local tax number)',
	},
	supplierInformation: {
		compass: {
			'last-exported-at:type':
				'Compass: Supplier Information API (a timestamp like every *-at field; its type cell says string)',
		},
	},
	taxRegistration: {
		description: 'Tax registrations (VAT and similar numbers)',
		title: ['number'],
		match: ['number'],
		matchEvidence: 'Compass: Tax Registration Import (Keys: Number)',
	},
	uom: { name: 'UOM', description: 'Units of measure' },
	translation: { name: 'UOM Translation' },
	user: {
		description: 'Users: employees, approvers and requesters',
		uiPath: 'users',
		title: ['login', 'fullname'],
		simplify: [
			'id',
			'login',
			'email',
			'firstname',
			'lastname',
			'active',
			'employee-number',
			{ department: ['name'] },
			'updated-at',
		],
		match: ['login'],
		matchEvidence: 'Compass: Users API (login unique)',
		// Compass's table also marks salesforce-id, which only instances linked to Salesforce have.
		required: ['login', 'email', 'firstname', 'lastname'],
		requiredEvidence:
			'Compass: Users API Example Calls (a user created from login, email and names; salesforce-id only on Salesforce-linked instances)',
		rename: { avatar: 'uploadAvatar', retrieveAvatar: 'downloadAvatar' },
		files: ['downloadAvatar', 'getAvatar'],
	},
	userGroup: {
		description: 'User groups (approval and notification groups)',
		uiPath: 'user_groups',
		title: ['name'],
		match: ['name'],
		matchEvidence: 'Compass: User Groups API (name unique)',
	},
};

// ---------------------------------------------------------------------------------------------
// Wording: names and sentences that no rule of `wording.ts` writes well, kept apart from the facts
// above. Operations are keyed by resource value, then operation value (never changed here).

/** An operation's name in the Operation list and its sentence in the actions panel. */
export interface OperationWording {
	name?: string;
	action: string;
}

/** Display names of resources whose value reads badly as a title. */
export const RESOURCE_NAMES: Record<string, string> = {
	// `expense_lines/expense_artifacts`: the artifacts of every expense line.
	expenseLinesExpenseArtifacts: 'Expense Line Artifact',
};

export const OPERATION_WORDING: Record<string, Record<string, OperationWording>> = {
	account: {
		favorites: { name: 'Get Favorites', action: "Get the user's favorite accounts" },
		recent: { name: 'Get Recent', action: "Get the user's recently used accounts" },
	},
	approval: {
		approverSearch: {
			name: 'Search Approvers',
			action: 'Search the users and groups that can approve',
		},
	},
	contract: {
		cccSignatureCreated: {
			name: 'Notify CCC Signature',
			action: 'Notify Coupa that a signature was added to a contract in CCC',
		},
		createPublished: { name: 'Create Published', action: 'Create a published contract' },
		updatePublished: {
			name: 'Update Published',
			action: 'Update a published or completed contract',
		},
		updateLegalAgreementPublished: {
			name: 'Update Published Legal Agreement',
			action: 'Update the legal agreement of a published contract',
		},
	},
	dataFileSource: { loadFile: { action: 'Load a file into a data file source' } },
	expenseReport: {
		sendBackLine: { name: 'Send Back Line', action: 'Send an expense line back to its submitter' },
	},
	integrationHistoryRecord: {
		createAlertAndMarkExported: {
			action: 'Create an alert for an integration history record and mark it exported',
		},
	},
	integrationRun: {
		fail: { action: 'Mark an integration run as failed' },
		maxUpdatedAt: {
			name: 'Set Max Updated At',
			action: 'Save the last update time an integration run exported',
		},
		run: { action: 'Mark an integration run as running' },
	},
	invoice: {
		flipToAdvanceShipNotice: { action: 'Flip an invoice to an advance ship notice (ASN)' },
	},
	quoteRequest: {
		endEvent: { action: 'End a production sourcing event' },
		goToProduction: { action: 'Submit a sourcing event to production' },
		goToTest: { action: 'Submit a sourcing event to production as a test event' },
	},
	requisition: {
		addToCart: { action: "Add items to the user's cart" },
		currentCart: {
			name: 'Get Current Cart',
			action: "Get the user's current cart, created when there is none",
		},
		mine: { name: 'Get Mine', action: "Get the user's own requisitions" },
	},
	supplier: {
		logoutIframeSession: {
			name: 'Log Out Iframe Session',
			action: "Log out of a supplier's iframe session (CSP)",
		},
	},
	supplierInformationEasyFormResponse: {
		approval: {
			name: 'Submit for Approval',
			action: 'Submit a supplier information easy form response for approval',
		},
	},
	userEasyFormResponse: {
		approval: {
			name: 'Submit for Approval',
			action: 'Submit a user easy form response for approval',
		},
	},
};
