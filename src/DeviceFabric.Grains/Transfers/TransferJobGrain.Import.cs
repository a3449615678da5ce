using System.Text.Json;
using DeviceFabric.Contracts;

namespace DeviceFabric.Transfers;

/// <summary>
/// Import: the file a line at a time, in batches; a batch's lines apply at once (one device's lines in file order), its
/// failures go to <c>importErrors.log</c> with their line numbers, and the lines done are stored before the next batch,
/// so a restart goes on from there.
/// </summary>
internal sealed partial class TransferJobGrain
{
    /// <summary>The longest line read; a longer one is reported and skipped, never held.</summary>
    public const int MaxLineBytes = 64 * 1024;

    private const int BatchLines = 64;

    private async Task ImportAsync(TransferRequest request, CancellationToken cancellationToken)
    {
        var root = options.Value.Directory;
        var input = Path.Combine(TransferPaths.Folder(root, request.InputFolder, "input"), request.InputFile!);
        var output = TransferPaths.Folder(root, request.OutputFolder, "output");
        System.IO.Directory.CreateDirectory(output);
        var length = Math.Max(1, new FileInfo(input).Length);
        var resumed = state.State.LinesDone;
        await using var errors = new FileStream(
            Path.Combine(output, TransferPaths.ErrorsFile), resumed == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.Read, 4096, useAsync: true);
        using var reader = new NdjsonLineReader(new FileStream(input, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true), MaxLineBytes);
        var batch = new List<ImportLine>(BatchLines);
        long line = 0;
        while (await reader.ReadAsync(cancellationToken) is { } next)
        {
            if (++line <= resumed)
            {
                continue;
            }

            batch.Add(ImportLine.Of(line, next.Line, next.TooLong));
            if (batch.Count == BatchLines)
            {
                await ApplyBatchAsync(batch, errors, reader.Position * 100 / length, cancellationToken);
            }
        }

        if (batch.Count > 0)
        {
            await ApplyBatchAsync(batch, errors, 99, cancellationToken);
        }
    }

    private async Task ApplyBatchAsync(List<ImportLine> batch, FileStream errors, long percent, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // A device's lines apply in file order; different devices' lines at once. Begun, a batch is finished.
        var byDevice = batch.Where(l => l.Device is not null).GroupBy(l => DeviceImporter.IdOf(l.Device!) ?? string.Empty, StringComparer.Ordinal);
        await Task.WhenAll(byDevice.Select(async lines =>
        {
            foreach (var item in lines)
            {
                try
                {
                    await DeviceImporter.ApplyAsync(GrainFactory, _hub, item.Device!, CancellationToken.None);
                }
                catch (DeviceFabricException ex)
                {
                    item.Error = ex;
                }
            }
        }));

        foreach (var item in batch.Where(l => !l.Blank))
        {
            if (item.Error is null)
            {
                state.State.Succeeded++;
                instruments.Handled(TransferType.Import, true);
                continue;
            }

            var deviceId = item.Device is null ? null : DeviceImporter.IdOf(item.Device);
            Failed(new TransferError(item.Line, deviceId, item.Error.Code, item.Error.Message));
            instruments.Handled(TransferType.Import, false);
            var logged = new ImportExportErrorJson { Line = item.Line, DeviceId = deviceId, ErrorCode = (int)item.Error.Code, ErrorStatus = item.Error.Message };
            await errors.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(logged, ContractsJsonContext.Default.ImportExportErrorJson), CancellationToken.None);
            errors.WriteByte((byte)'\n');
        }

        await errors.FlushAsync(CancellationToken.None);
        state.State.LinesDone = batch[^1].Line;
        state.State.Progress = (int)Math.Clamp(percent, 0, 99);
        await state.WriteStateAsync(CancellationToken.None);
        batch.Clear();
    }

    /// <summary>A line read: its device, or why it is none; blank lines are skipped without a word.</summary>
    private sealed class ImportLine
    {
        public long Line { get; private init; }

        public ExportImportDeviceJson? Device { get; private init; }

        public bool Blank { get; private init; }

        public DeviceFabricException? Error { get; set; }

        public static ImportLine Of(long line, ReadOnlyMemory<byte> bytes, bool tooLong)
        {
            if (tooLong)
            {
                return new ImportLine { Line = line, Error = new DeviceFabricException(DeviceFabricErrorCode.DeserializationError, $"The line is longer than {MaxLineBytes} bytes.") };
            }

            if (bytes.Span.Trim(" \t"u8).IsEmpty)
            {
                return new ImportLine { Line = line, Blank = true };
            }

            try
            {
                return new ImportLine { Line = line, Device = DeviceImporter.Parse(bytes) };
            }
            catch (DeviceFabricException ex)
            {
                return new ImportLine { Line = line, Error = ex };
            }
        }
    }
}
