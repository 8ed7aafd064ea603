/**
 * What every trigger test file needs around serveTrigger (./webhook.ts): serve the vendor's trigger
 * with given parameters, post hand-written bodies to it, and close every served trigger after each
 * test so that no socket outlives its test.
 *
 *   const { trigger, post } = useTriggers({ type: TYPE, nodeType: ChonryTrigger, contentType: FORM });
 *   const server = await trigger({ settings: { secretToken: 's3cret' } });
 *   expect(await post(server.url, 'mobile=...')).toEqual({ status: 200, contentType: ..., body: ... });
 */
import type { IDataObject, INodeType } from 'n8n-workflow';

import { postRaw } from './http';
import { serveTrigger, type RunOutcome, type TriggerServer } from './webhook';

export function useTriggers(spec: {
	type: string;
	nodeType: new () => INodeType;
	/** The Content-Type `post` sends when the test names none: the one the vendor pushes with. */
	contentType: string;
}) {
	let servers: TriggerServer[] = [];
	afterEach(async () => {
		await Promise.all(servers.map((server) => server.close()));
		servers = [];
	});

	return {
		/**
		 * Serves a fresh trigger node with these parameters; closed after the test. runOutcome: how the
		 * executions end, for the "After the Workflow Ran" answer mode.
		 */
		async trigger(parameters: IDataObject = {}, runOutcome?: RunOutcome): Promise<TriggerServer> {
			const server = await serveTrigger({ type: spec.type, nodeType: new spec.nodeType(), parameters, runOutcome });
			servers.push(server);
			return server;
		},
		/** POSTs a body exactly as given, as the vendor (or a broken client) would. */
		post(url: string, body: string, contentType = spec.contentType) {
			return postRaw(url, body, contentType);
		},
	};
}
