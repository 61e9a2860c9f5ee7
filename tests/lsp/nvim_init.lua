-- A scripted session in Neovim's built-in LSP client (Neovim 0.7, headless): starts
-- `catengine lsp` on the policy named by $CATENGINE_POLICY (a copy of Peterborough's with one
-- error and one badly laid out line), reads the diagnostics through vim.diagnostic.get, asks for
-- hover and definition at known positions, formats the buffer, and compares each with what is
-- expected. Exits 0 when all match, 1 otherwise (tests/lsp/nvim_test.sh runs it under ctest).
-- With $CATENGINE_NVIM_INTERACTIVE set it only starts the client, for a person (or tmux) to look.
local catengine = os.getenv('CATENGINE')
local policy = os.getenv('CATENGINE_POLICY')
local failures = 0

local function report(ok, what, got, want)
  if ok then
    io.stdout:write('ok   ' .. what .. '\n')
  else
    failures = failures + 1
    io.stdout:write('FAIL ' .. what .. ': got ' .. vim.inspect(got) .. ', want ' .. vim.inspect(want) .. '\n')
  end
end
local function expect(what, got, want)
  report(vim.deep_equal(got, want), what, got, want)
end

vim.cmd('edit ' .. vim.fn.fnameescape(policy))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'catengine'
local client_id = vim.lsp.start_client({
  name = 'catengine',
  cmd = { catengine, 'lsp' },
  root_dir = vim.fn.fnamemodify(policy, ':h'),
})
vim.lsp.buf_attach_client(buf, client_id)

if os.getenv('CATENGINE_NVIM_INTERACTIVE') then
  return
end

local function finish()
  io.stdout:write(failures == 0 and 'all passed\n' or (failures .. ' failure(s)\n'))
  io.stdout:flush()
  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  vim.cmd(failures == 0 and 'qall!' or 'cquit! 1')
end

-- Diagnostics arrive by themselves once the file is open.
local got = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
report(got, 'diagnostics arrive', got, true)
local diagnostics = vim.diagnostic.get(buf)
local d = diagnostics[1] or {}
local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
expect('one diagnostic', #diagnostics, 1)
expect('its place (line, column, end)', { d.lnum, d.col, d.end_col }, { 114, 11, 17 })
expect('its code', code, 'E0204')
expect('its message', d.message, '`bellow` is not one of the values of `Floor` (not a member)')
expect('an error', d.severity, vim.diagnostic.severity.ERROR)

local function request(method, line, character)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = character },
  }
  local replies = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
  local reply = replies[client_id] or {}
  return reply.result
end

local hover = request('textDocument/hover', 91, 10)
expect('hover on a field', hover and hover.contents.value,
  '```catengine\nfield phase: Phase\n```\ncolumn `phase`')
hover = request('textDocument/hover', 150, 8)
expect('hover on a rule', hover and hover.contents.value,
  '**rule R1** "In an Ofsted category of concern" of `category`\n\n*cite:* Specification, section 3, R1')
local def = request('textDocument/definition', 114, 3)
expect('definition of `floor`', def and { vim.uri_to_fname(def.uri) == vim.api.nvim_buf_get_name(buf),
  def.range.start.line, def.range.start.character }, { true, 89, 7 })
def = request('textDocument/definition', 92, 25)
expect('definition in a module', def and { vim.fn.fnamemodify(vim.uri_to_fname(def.uri), ':t'),
  def.range.start.line }, { 'floor_standards.policy', 6 })

-- Formatting puts the badly laid out line back.
expect('before formatting', vim.api.nvim_buf_get_lines(buf, 113, 114, false)[1],
  'define   below_floor :boolean cite "Specification, section 2, below_floor" =')
vim.lsp.buf.formatting_sync(nil, 10000)
expect('after formatting', vim.api.nvim_buf_get_lines(buf, 113, 114, false)[1],
  'define below_floor: boolean cite "Specification, section 2, below_floor" =')

finish()
