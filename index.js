// n8n reads the package.json 'n8n' section; nothing is exported from here.
