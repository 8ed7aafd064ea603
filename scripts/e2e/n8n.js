// @ts-check
'use strict';
// A real n8n, started and driven the way a user's instance is, in modules by concern:
//   shell.js       the repository's folder, the package name, running commands, clean env, temp folders
//   install.js     Node 24 and n8n once into the cache folder; build, pack and install the package
//   processes.js   N8nInstance (one n8n process and its task runner) and ports
//   client.js      N8nClient, the REST and public API
//   executions.js  readers of executions
// This module gathers them, so `require('./e2e/n8n')` gives everything.

const { REPO, PACKAGE_NAME, PACKAGE_PREFIX, run, cleanEnv, sleep, makeTempDir } = require('./shell');
const { N8N_VERSION, N8N_VERSIONS, NODE24_VERSION, ensureN8n, buildPackage, packPackage, installPackage } = require('./install');
const { N8nInstance, freePort, isListening, canBind, groupAlive } = require('./processes');
const { N8nClient } = require('./client');
const { nodeResult, executionError } = require('./executions');

module.exports = {
	REPO,
	N8N_VERSION,
	N8N_VERSIONS,
	NODE24_VERSION,
	PACKAGE_NAME,
	PACKAGE_PREFIX,
	run,
	sleep,
	cleanEnv,
	ensureN8n,
	buildPackage,
	packPackage,
	installPackage,
	freePort,
	groupAlive,
	isListening,
	canBind,
	makeTempDir,
	N8nInstance,
	N8nClient,
	nodeResult,
	executionError,
};
