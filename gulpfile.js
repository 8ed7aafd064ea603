const path = require('path');
const { task, src, dest } = require('gulp');

// tsc does not copy assets: node icons go next to the compiled nodes; credentials point at them.
task('build:icons', () =>
	src(path.resolve('nodes', '**', '*.{png,svg}'), { encoding: false }).pipe(dest(path.resolve('dist', 'nodes'))),
);
