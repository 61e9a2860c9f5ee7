// The VS Code client for catengine policies: starts `catengine lsp` (the language server, over
// stdin and stdout) for .policy files and adds the commands of package.json. Colouring comes from
// the TextMate grammar and needs no server; everything else (errors as you type, hover, go to
// definition, completion, formatting, outline, explanations) is the server's.
// Plain JavaScript run as it is: no build step between this file and the .vsix.
'use strict';
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, ExecuteCommandRequest, State } = require('vscode-languageclient/node');

const LANGUAGE = 'catengine-policy';
let client;
let output;

// The program named by `catengine.path`: a bare name is looked up on PATH, a relative path is
// taken from the first workspace folder. Undefined when there is no such file.
function findServer(setting) {
  const isFile = (p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (setting.includes('/') || setting.includes('\\')) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const full = path.isAbsolute(setting) || !folder ? path.resolve(setting) : path.join(folder, setting);
    return isFile(full) ? full : undefined;
  }
  const suffixes = process.platform === 'win32' ? ['', '.exe', '.cmd'] : [''];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    for (const suffix of suffixes) {
      if (dir && isFile(path.join(dir, setting + suffix))) return path.join(dir, setting + suffix);
    }
  }
  return undefined;
}

function settings() {
  const config = vscode.workspace.getConfiguration('catengine');
  return {
    path: config.get('path') || 'catengine',
    // Only what is set goes to the server, which otherwise finds the example data and the date
    // itself.
    initializationOptions: Object.fromEntries(
      [
        ['exampleData', config.get('exampleData')],
        ['asOf', config.get('asOf')],
      ].filter(([, v]) => typeof v === 'string' && v.trim() !== '')
    ),
  };
}

// The server's code lens runs `catengine.explain`, whose answer VS Code would drop; pointed at
// the extension's command instead, the explanation opens beside the policy.
const middleware = {
  async provideCodeLenses(document, token, next) {
    const lenses = await next(document, token);
    for (const lens of lenses || []) {
      if (lens.command && lens.command.command === 'catengine.explain') {
        lens.command = { ...lens.command, command: 'catengine.explainSchool' };
      }
    }
    return lenses;
  },
};

async function startServer() {
  const { path: setting, initializationOptions } = settings();
  const command = findServer(setting);
  if (!command) {
    const choice = await vscode.window.showErrorMessage(
      `catengine: cannot find the program \`${setting}\`, so policies get colouring only. ` +
        'Build catengine (`make build`) and put it on PATH, or set `catengine.path`.',
      'Open Settings'
    );
    if (choice === 'Open Settings') {
      vscode.commands.executeCommand('workbench.action.openSettings', 'catengine.path');
    }
    return;
  }
  output.appendLine(`Starting ${command} lsp`);
  // No transport given: the client talks to the process over its stdin and stdout and passes no
  // `--stdio` argument, so the server is started exactly as `catengine lsp`.
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE },
      { scheme: 'untitled', language: LANGUAGE },
    ],
    outputChannel: output,
    initializationOptions,
    middleware,
    synchronize: {
      // Changes on disk to modules the policy `use`s and to its test files, as
      // workspace/didChangeWatchedFiles.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{policy,csv}'),
    },
  };
  client = new LanguageClient('catengine', 'catengine language server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    output.appendLine(`The language server did not start: ${error.message || error}`);
    vscode.window.showErrorMessage(
      `catengine: \`${command} lsp\` did not start (${error.message || error}). ` +
        'Is it a catengine built with the language server?'
    );
  }
}

async function stopServer() {
  const running = client;
  client = undefined;
  if (!running || running.state === State.Stopped) return;
  try {
    await running.stop();
  } catch (error) {
    output.appendLine(`Stopping the language server: ${error.message || error}`);
  }
}

// The text of the server's answer to `catengine.explain`: text, or an object carrying it.
function explanationText(result) {
  if (typeof result === 'string') return result;
  for (const key of ['text', 'markdown', 'explanation', 'value']) {
    if (result && typeof result[key] === 'string') return result[key];
  }
  return JSON.stringify(result, null, 2);
}

// "catengine: Explain school": explains one school of the example data under the policy open in
// the editor. From the command palette it asks for the URN (none: the first school); from the
// server's code lens it passes on the lens's arguments.
async function explainSchool(args) {
  const fromLens = args && typeof args.uri === 'string' ? args : undefined;
  const uri = fromLens?.uri || vscode.window.activeTextEditor?.document.uri.toString();
  if (!uri) {
    vscode.window.showInformationMessage('catengine: open a .policy file to explain a school under it.');
    return;
  }
  if (!client || !client.isRunning()) {
    vscode.window.showErrorMessage('catengine: the language server is not running (see "catengine: Show language server output").');
    return;
  }
  let request = fromLens;
  if (!request) {
    const urn = await vscode.window.showInputBox({
      title: 'Explain school',
      prompt: "The school's URN in the example data (empty: the first school)",
      placeHolder: '140233',
      validateInput: (v) => (/^\s*\d*\s*$/.test(v) ? undefined : 'A URN is a number, such as 140233'),
    });
    if (urn === undefined) return;
    request = urn.trim() ? { uri, urn: urn.trim() } : { uri };
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Explaining a school' },
    () => client.sendRequest(ExecuteCommandRequest.type, { command: 'catengine.explain', arguments: [request] })
  );
  if (result === null || result === undefined) return; // the server has shown its own message
  const document = await vscode.workspace.openTextDocument({ content: explanationText(result), language: 'plaintext' });
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
}

async function activate(context) {
  output = vscode.window.createOutputChannel('catengine');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('catengine.explainSchool', (args) =>
      explainSchool(args).catch((e) => vscode.window.showErrorMessage(`catengine: ${e.message || e}`))
    ),
    vscode.commands.registerCommand('catengine.restartServer', async () => {
      await stopServer();
      await startServer();
    }),
    vscode.commands.registerCommand('catengine.showOutput', () => output.show()),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // The server reads the program's settings once, when it starts (initializationOptions).
      const restart = ['catengine.path', 'catengine.exampleData', 'catengine.asOf'];
      if (restart.some((setting) => e.affectsConfiguration(setting))) {
        await stopServer();
        await startServer();
      }
    })
  );
  await startServer();
}

function deactivate() {
  return stopServer();
}

module.exports = { activate, deactivate };
