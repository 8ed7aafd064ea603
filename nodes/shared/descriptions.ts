import type { IDataObject, IExecuteFunctions, IHookFunctions, INodeProperties } from 'n8n-workflow';

import { retrySkipsSentOption } from './retry-memory';
import { DEFAULT_TIMEOUT_MS } from './transport';

/** `phones`, shared by every send operation; `international` for vendors that send abroad. */
export function phonesProperty(operations: string[], { international = false } = {}): INodeProperties {
	return {
		displayName: 'Phones',
		name: 'phones',
		type: 'string',
		required: true,
		default: '',
		placeholder: international ? '+8613800138000, +447911123456' : '13800138000, 13900139000',
		description: international
			? 'One or more numbers with their country code, separated by commas, semicolons, spaces or new lines, or an array from an expression. A leading + or 00 is removed; an 11-digit mainland mobile gets 86. Every number is checked before anything is sent.'
			: 'One or more mainland mobile numbers, separated by commas, semicolons, spaces or new lines, or an array from an expression. A +86, 86 or 0086 prefix is removed. Every number is checked before anything is sent.',
		displayOptions: { show: { operation: operations } },
	};
}

/** Calls at once when a send starts; the send loop grows it while the vendor keeps up. */
export const START_CONCURRENCY = 8;
/** What n8n's own HTTP Request node does is every item at once; 100 keeps up with it on a big personalised send (README, Benchmarks). */
export const DEFAULT_MAX_CONCURRENCY = 100;
const MAX_CONCURRENCY = 200;

/** Options every action node has: how calls are made, not what they say. */
export const transportOptions: INodeProperties[] = [
	{
		displayName: 'Max Concurrent Calls',
		// The name of the fixed concurrency this option replaced: saved workflows keep their number as the cap.
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
		default: DEFAULT_MAX_CONCURRENCY,
		description:
			'The most vendor calls at the same time. A send starts with up to 8 at once and adds one for every call the vendor accepts. When the vendor answers that it is asked too often, it holds one under the number of calls the vendor refused, and now and then tries one more; the refused calls are made again, since nothing was sent.',
	},
	{
		// Not shown in the editor (n8n leaves hidden options out of a collection), yet kept in a workflow's JSON:
		// "halving" selects the throttle before issue 21 (batching.ts, HalvingLimit), for the benchmark only.
		displayName: 'Throttle',
		name: 'throttle',
		type: 'hidden',
		default: 'ceiling',
	},
	{
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1000 },
		default: DEFAULT_TIMEOUT_MS,
		description:
			'Milliseconds one vendor call may take, its whole answer included. A call that runs out of time is not sent again: its recipients get the outcome "unknown", since the vendor may have the message.',
	},
	{
		displayName: 'Ignore SSL Issues (Insecure)',
		name: 'allowUnauthorizedCerts',
		type: 'boolean',
		default: false,
		description: 'Whether to connect even if SSL certificate validation is not possible',
	},
];

/**
 * "Not Sent Output": a second output for the recipients that surely got nothing, so that the next
 * vendor's node can send to them (failover by drag and drop). Off by default: saved workflows keep
 * one output.
 */
export function notSentOutputOption(sendOperations: string[]): INodeProperties {
	return {
		displayName: 'Not Sent Output',
		name: 'notSentOutput',
		type: 'boolean',
		default: false,
		description:
			'Whether to add a second output, "Not Sent", with the recipients that surely got nothing (refused by the vendor, or never reached it), for the next vendor\'s node, whose Phones can be the expression of notSent.phones. A vendor error then no longer stops the node. Recipients whose outcome is "unknown" stay on "Sent": they may have the message. A refusal about the message itself (a bad number, an unknown template, one number asked too often) is marked aboutMessage: another vendor will likely refuse it too.',
		displayOptions: { show: { '/operation': sendOperations } },
	};
}

/**
 * The node's outputs: one, or "Sent" and "Not Sent" with the option on (n8n evaluates this in the
 * editor and at run time, as its Switch node does for its outputs).
 */
export const SEND_OUTPUTS =
	'={{ $parameter.options?.notSentOutput === true ? [{ type: "main", displayName: "Sent" }, { type: "main", displayName: "Not Sent" }] : [{ type: "main" }] }}';

export interface TransportSettings {
	startConcurrency: number;
	maxConcurrency: number;
	/** Zhuanxinyun's opt-in: resend a call whose answer was lost, under its same batch number. */
	resendUnanswered: boolean;
	notSentOutput: boolean;
	/** A retry leaves out the recipients an earlier try reached (retry-memory.ts); on unless turned off. */
	retrySkipsSent: boolean;
	/**
	 * How the calls at once follow the vendor's throttle answers (batching.ts): "ceiling" (held just under
	 * the limit found), or "halving", the algorithm before issue 21, kept for the benchmark only: the
	 * hidden option `throttle`, which only a workflow's JSON sets.
	 */
	throttle: 'ceiling' | 'halving';
	/** What every callVendor of the run takes. */
	callOptions: { timeout: number; allowUnauthorizedCerts: boolean };
}

/** The `options` collection of an action node that has no options of its own: Not Sent Output and the transport. */
export function actionOptionsProperty(sendOperations: string[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [notSentOutputOption(sendOperations), retrySkipsSentOption(sendOperations), ...transportOptions],
	};
}

export function readTransportSettings(ctx: IExecuteFunctions, itemIndex = 0): TransportSettings {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const maxConcurrency = Math.min(MAX_CONCURRENCY, Math.max(1, Math.floor(Number(options.concurrency ?? DEFAULT_MAX_CONCURRENCY)) || DEFAULT_MAX_CONCURRENCY));
	return {
		startConcurrency: Math.min(START_CONCURRENCY, maxConcurrency),
		maxConcurrency,
		resendUnanswered: options.resendUnanswered === true,
		notSentOutput: options.notSentOutput === true,
		retrySkipsSent: options.retrySkipsSent !== false,
		throttle: options.throttle === 'halving' ? 'halving' : 'ceiling',
		callOptions: callOptionsOf(options),
	};
}

/** The timeout and TLS settings of an `options` collection, as every callVendor takes them (the poll trigger's too). */
export function callOptionsOf(options: IDataObject): TransportSettings['callOptions'] {
	return {
		timeout: Math.max(1000, Number(options.timeout ?? DEFAULT_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS),
		allowUnauthorizedCerts: options.allowUnauthorizedCerts === true,
	};
}

/** The transport options of a node that only pulls (the poll trigger): its calls send nothing, one at a time. */
export const pullOptions: INodeProperties[] = transportOptions
	.filter((option) => option.name !== 'concurrency' && option.name !== 'throttle')
	.map((option) => (option.name === 'timeout' ? { ...option, description: 'Milliseconds one vendor call may take, its whole answer included' } : option));

/** `events`, for triggers that receive both delivery reports and replies. */
export const eventsProperty: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	options: [
		{ name: 'Delivery Report', value: 'delivery', description: 'Whether a message reached the phone' },
		{ name: 'Reply', value: 'reply', description: 'An SMS a recipient sent back' },
	],
	default: ['delivery', 'reply'],
	description: 'Which pushes start the workflow. Pushes of other kinds are still answered, so the vendor does not retry them.',
};

/**
 * n8n 2.41 parses a version-1 trigger's body itself unless `options.binaryData` is true. Its XML
 * parser is shared by the whole process and stops answering after one malformed body, so triggers
 * keep the body unread and parse it themselves. Hidden: this is not a user's choice.
 */
export const rawBodyParameter: INodeProperties = {
	displayName: 'Raw Body',
	name: 'options',
	type: 'hidden',
	default: { binaryData: true },
};

/** The trigger's user-facing options. */
export function triggerSettings(successBody: string): INodeProperties {
	return {
		displayName: 'Options',
		name: 'settings',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Secret Token',
				name: 'secretToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description: 'When set, a push must carry ?token=&lt;this value&gt; in its URL; anything else gets HTTP 401 and starts nothing. Append it to the URL you paste into the vendor console.',
			},
			{
				displayName: 'Response Body',
				name: 'responseBody',
				type: 'string',
				default: successBody,
				description: 'What the vendor receives as the answer to a push it should not send again',
			},
			{
				displayName: 'Answer the Vendor',
				name: 'answerMode',
				type: 'options',
				options: [
					{
						name: 'At Once',
						value: 'atOnce',
						description: 'Answer as soon as the push is read, before the workflow runs. A push whose execution then fails is not pushed again.',
					},
					{
						name: 'After the Workflow Ran',
						value: 'afterRun',
						description: 'Answer with the success body only once the workflow finished; when it failed (or no worker could run it), answer with an error status so that the vendor pushes again. The vendor waits meanwhile, so keep the workflow short, and expect a push twice now and then.',
					},
				],
				default: 'atOnce',
				description: 'When the vendor gets its success answer. In queue mode, After the Workflow Ran keeps a push that no worker could run from being lost.',
			},
		],
	};
}

/**
 * A trigger's webhook methods: the user pastes the webhook URL into the vendor's console (or sends it to
 * the vendor), and no vendor API registers, lists or removes it, so there is nothing to create or delete
 * (as n8n's TheHive trigger does for the same case).
 */
export const pastedWebhookMethods = {
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
};
