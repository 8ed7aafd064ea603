/**
 * Runs a real n8n workflow execution inside the jest process: n8n-core's WorkflowExecute,
 * n8n-workflow's expression engine, and n8n-core's own HTTP helpers (axios), so a node's
 * `httpRequestWithAuthentication` really sends the credential type's authentication to a
 * server. n8n's own test harness is not published; this is the part of it we need.
 *
 *   const { output, error, runData } = await runWorkflow({ nodeTypes, credentialTypes,
 *     credentials, items, node: { type, typeVersion, parameters, continueOnFail } });
 *
 * Expressions: n8n-workflow 2.41 evaluates with its "legacy" (in-process, tournament-based)
 * engine unless `Expression.initExpressionEngine({ engine: 'vm' | 'quickjs' })` is called;
 * only n8n's CLI does that, from N8N_EXPRESSION_ENGINE. The 'vm' engine needs isolated-vm,
 * which does not build on Node 20, and @n8n/expression-runtime only requires it lazily, so
 * we pin 'legacy' explicitly below and never load it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	Expression,
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialsEncrypted,
	type ICredentialsExpressionResolveValues,
	type ICredentialType,
	type IDataObject,
	type IExecuteData,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentials,
	type INodeCredentialsDetails,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRequestOptionsSimplified,
	type IRun,
	type IRunData,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type Workflow as WorkflowType,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { fixtureCredentialTypes, fixtureNodeTypes, ITEMS_NODE_TYPE } from './fixture-nodes';

// n8n-core's InstanceSettings (built on the first run, through its DI container) reads
// N8N_USER_FOLDER and writes `.n8n/config` with a fresh encryption key there; keep that out
// of the developer's home. Set before n8n-core is loaded, hence the require below. Jest gives
// each test file its own process.env and module registry, so each file gets its own folder,
// removed by an afterAll (a process 'exit' handler does not run reliably under jest).
if (!process.env.N8N_USER_FOLDER) {
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-cn-sms-jest-'));
	process.env.N8N_USER_FOLDER = userFolder;
	afterAll(() => rmSync(userFolder, { recursive: true, force: true }));
}
// n8n-core hands every node error to its ErrorReporter, which (without Sentry) logs it with
// its stack on the console. Real n8n does the same; in tests it only buries jest's output.
// Read once when n8n's Logger is first built, so N8N_LOG_LEVEL=debug still works for debugging.
process.env.N8N_LOG_LEVEL ??= 'silent';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ExecutionLifecycleHooks, WorkflowExecute, getAdditionalKeys } = require('n8n-core') as typeof import('n8n-core');

Expression.setExpressionEngine('legacy');

export const START_NODE_NAME = 'Items';
export const NODE_UNDER_TEST_NAME = 'Node';

export interface RunWorkflowOptions {
	/** Node types by full type name; the fixture nodes are added automatically. */
	nodeTypes?: Record<string, INodeType | IVersionedNodeType>;
	/** Credential types by name; the fixture credential types are added automatically. */
	credentialTypes?: Record<string, ICredentialType>;
	/** Decrypted credential data by credential type name, as a user would have saved it. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** What the start node emits. */
	items?: INodeExecutionData[];
	node: {
		type: string;
		typeVersion?: number;
		parameters?: INodeParameters;
		name?: string;
		continueOnFail?: boolean;
		/** n8n's "Always Output Data" node setting. */
		alwaysOutputData?: boolean;
		onError?: INode['onError'];
		/** n8n's Retry On Fail node setting: the engine runs the node up to maxTries times. */
		retryOnFail?: { maxTries?: number; waitBetweenTries?: number };
		/** Defaults to one credential per key of `credentialTypes` and `credentials`. */
		credentials?: INodeCredentials;
	};
	mode?: WorkflowExecuteMode;
	executionId?: string;
	/**
	 * A retry of this failed run, as n8n's ExecutionService.retry prepares it: the run's execution
	 * data as saved (a JSON copy), its error removed and the failed node's last run dropped, so that
	 * the engine runs that node again from its saved input. Use with mode 'retry'.
	 */
	retryOf?: IRun;
}

export interface RunWorkflowResult {
	/** The first output of the node under test (empty if it did not run to the end). */
	output: INodeExecutionData[];
	/**
	 * The error the node under test threw, as the very object it threw (NodeOperationError,
	 * NodeApiError, ...); n8n's run data only keeps a plain-object copy of it. Also set when
	 * the node threw although continueOnFail was on: n8n 2.41 then passes the node's input
	 * items through unchanged as its output, so a node must catch and emit `{ error }` itself.
	 */
	error?: Error;
	runData: IRunData;
	run: IRun;
}

/**
 * Credential store and ICredentialsHelper of n8n-workflow 2.41, in memory. It follows n8n's
 * CLI CredentialsHelper where a node can see the difference: defaults of the credential type
 * are applied, expressions in credential data and in generic auth are resolved, and
 * preAuthentication runs when the credential's expirable field is empty.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly types: Record<string, ICredentialType>,
		private readonly store: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	private getType(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type "${name}": pass it in credentialTypes`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.types[name]?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.types[credentialType];
		if (!type?.restrictToSupportedNodes) return true;
		const shortName = nodeType.split('.').pop() ?? nodeType;
		return (type.supportedNodes ?? []).some((name) => name === nodeType || name === shortName);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: WorkflowType,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.getType(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) throw new Error('Generic credential auth needs the workflow and node');
			// The base class leaves `={{$credentials.x}}` to us; n8n's CLI resolves it the same way.
			const resolve = (value: string) =>
				isExpression(value)
					? String(
							workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '') ?? '',
						)
					: value;
			const options = requestOptions as unknown as Record<string, IDataObject>;
			options.headers ??= {};
			for (const [where, entries] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(entries as IDataObject)) {
					options[where] ??= {};
					options[where][resolve(key)] = resolve(value as string);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.getType(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[typeName];
		if (details) await this.updateCredentials(details, typeName, { ...this.store[typeName], ...output });
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.getType(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return ((await preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return new MemoryCredentials(nodeCredentials, type, this.store);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store[type];
		if (!stored) {
			throw new Error(`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`);
		}
		if (raw) return { ...stored };
		let data = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			{ ...stored } as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } = expressionResolveValues;
			data = workflow.expression.getParameterValue(
				data as INodeParameters,
				runExecutionData,
				runIndex,
				itemIndex,
				node.name,
				connectionInputData,
				mode,
				getAdditionalKeys(additionalData, mode, null, { isCredential: true }),
				executeData,
				false,
				data,
			) as ICredentialDataDecryptedObject;
		}
		return data;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = { ...data };
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = { ...this.store[type], oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getType(type);
		if (!credentialType.extends) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}
}

/** ICredentials over the plain in-memory store (n8n-core's Credentials would need its Cipher). */
class MemoryCredentials extends ICredentials {
	constructor(
		details: INodeCredentialsDetails,
		type: string,
		private readonly store: Record<string, ICredentialDataDecryptedObject>,
	) {
		super(details, type);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.store[this.type] };
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.store[this.type]) };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.store[this.type] = { ...data };
	}

	async updateData(toUpdate: ICredentialDataDecryptedObject, toDelete: string[] = []): Promise<void> {
		const data = { ...this.store[this.type], ...toUpdate };
		for (const key of toDelete) delete data[key];
		this.store[this.type] = data;
	}
}

class TestNodeTypes implements INodeTypes {
	constructor(
		private readonly types: Record<string, INodeType | IVersionedNodeType>,
		private readonly wrap: (typeName: string, nodeType: INodeType) => INodeType,
	) {}

	private readonly byVersion = new Map<string, INodeType>();

	getByName(type: string): INodeType | IVersionedNodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type "${type}": pass it in nodeTypes`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		const key = `${type}@${version}`;
		let nodeType = this.byVersion.get(key);
		if (!nodeType) {
			nodeType = this.wrap(type, NodeHelpers.getVersionedNodeType(this.getByName(type), version));
			this.byVersion.set(key, nodeType);
		}
		return nodeType;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/** Same node type, but remembers what its `execute` threw before n8n turns it into a plain object. */
function recordingErrors(nodeType: INodeType, sink: { error?: Error }): INodeType {
	const { execute } = nodeType;
	if (!execute) return nodeType;
	const wrapped = Object.create(nodeType) as INodeType;
	wrapped.execute = async function (this: IExecuteFunctions) {
		try {
			return await execute.call(this);
		} catch (error) {
			sink.error = error as Error;
			throw error;
		}
	};
	return wrapped;
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	const mode = options.mode ?? 'manual';
	const credentialTypes = { ...fixtureCredentialTypes, ...options.credentialTypes };
	// Copied so that a token written back by preAuthentication stays inside this run.
	const store = JSON.parse(JSON.stringify(options.credentials ?? {})) as Record<string, ICredentialDataDecryptedObject>;
	const credentialsHelper = new TestCredentialsHelper(credentialTypes, store);

	const nodeName = options.node.name ?? NODE_UNDER_TEST_NAME;
	const sink: { error?: Error } = {};
	const nodeTypes = new TestNodeTypes({ ...fixtureNodeTypes, ...options.nodeTypes }, (typeName, nodeType) =>
		typeName === options.node.type ? recordingErrors(nodeType, sink) : nodeType,
	);

	const credentialNames = Object.keys({ ...options.credentialTypes, ...options.credentials });
	const startNode: INode = {
		id: 'node-items',
		name: START_NODE_NAME,
		type: ITEMS_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items ?? [{ json: {} }]) },
	};
	const testedNode: INode = {
		id: 'node-under-test',
		name: nodeName,
		type: options.node.type,
		typeVersion: options.node.typeVersion ?? 1,
		position: [200, 0],
		parameters: options.node.parameters ?? {},
		credentials:
			options.node.credentials ??
			Object.fromEntries(credentialNames.map((name) => [name, { id: `${name}-id`, name }])),
		// n8n's UI saves "continue on fail" as onError; keep both, as older saved workflows do.
		...(options.node.continueOnFail ? { continueOnFail: true, onError: 'continueRegularOutput' as const } : {}),
		...(options.node.onError ? { onError: options.node.onError } : {}),
		...(options.node.alwaysOutputData ? { alwaysOutputData: true } : {}),
		...(options.node.retryOnFail ? { retryOnFail: true, ...options.node.retryOnFail } : {}),
	};
	const connections = {
		[START_NODE_NAME]: { main: [[{ node: nodeName, type: 'main' as const, index: 0 }]] },
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Harness',
		nodes: [startNode, testedNode],
		connections,
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});

	const workflowData: IWorkflowBase = {
		id: workflow.id,
		name: 'Harness',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [startNode, testedNode],
		connections,
	};
	const executionId = options.executionId ?? 'test-execution';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData = {
		hooks,
		credentialsHelper,
		executionId,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not supported by the test harness');
		},
		startRunnerTask: async () => {
			throw new Error('Task runners are not supported by the test harness');
		},
	} satisfies Partial<IWorkflowExecuteAdditionalData> as unknown as IWorkflowExecuteAdditionalData;

	const run = options.retryOf
		? await new WorkflowExecute(additionalData, mode, retryData(options.retryOf)).processRunExecutionData(workflow)
		: await new WorkflowExecute(additionalData, mode).run({ workflow, startNode });
	const runData = run.data.resultData.runData;
	const task = runData[nodeName]?.[0];
	const output = task?.data?.main?.[0] ?? [];
	const failed = task?.error ?? run.data.resultData.error;
	const error = sink.error ?? (failed ? Object.assign(new Error(failed.message), failed) : undefined);
	return { output, error, runData, run };
}

/** What n8n 2.41's ExecutionService.retry hands the engine: the saved execution data, the failed run dropped. */
function retryData(failed: IRun): IRun['data'] {
	const data = JSON.parse(JSON.stringify(failed.data)) as IRun['data'];
	const { lastNodeExecuted } = data.resultData;
	if (lastNodeExecuted) {
		delete data.resultData.error;
		const runs = data.resultData.runData?.[lastNodeExecuted];
		if (runs && runs.length > 0 && runs[runs.length - 1].error !== undefined) runs.pop();
	}
	return data;
}
