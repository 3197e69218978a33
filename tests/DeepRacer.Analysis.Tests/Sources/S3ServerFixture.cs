using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using DeepRacer.Analysis.Sources;

namespace DeepRacer.Analysis.Tests.Sources;

/// <summary>Tests that share one s3rver process.</summary>
[CollectionDefinition(Name)]
public sealed class S3ServerCollection : ICollectionFixture<S3ServerFixture>
{
    public const string Name = "s3rver";
}

/// <summary>
/// A real S3 server (s3rver, from tests/s3server) on 127.0.0.1 for the whole test run: started once, emptied
/// by deleting its temp directory, killed with its process tree on dispose.
/// </summary>
public sealed partial class S3ServerFixture : IAsyncLifetime
{
    /// <summary>s3rver's built-in account; it knows no other keys.</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>The secret of <see cref="AccessKey"/>.</summary>
    public const string SecretKey = "S3RVER";

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_npmTimeout = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _samples = new(StringComparer.Ordinal);
    private readonly StringBuilder _stderr = new();
    private Process? _process;
    private string? _directory;
    private AmazonS3Client? _client;

    /// <summary>The repository root (the folder with drlog.slnx).</summary>
    public string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Where the sample logs are.</summary>
    public string SamplesFolder => Path.Combine(RepoRoot, "samples");

    /// <summary>The server, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string EndpointUrl { get; private set; } = "";

    /// <summary>Credentials the server accepts.</summary>
    public AWSCredentials Credentials { get; } = new BasicAWSCredentials(AccessKey, SecretKey);

    /// <summary>Options that reach the server; no retries, so a failing test fails at once.</summary>
    public S3Options Options => new() { EndpointUrl = EndpointUrl, Credentials = Credentials, MaxRetries = 0, Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>A client for setting up buckets and objects.</summary>
    public IAmazonS3 Client => _client ?? throw new InvalidOperationException("s3rver is not running.");

    public async Task InitializeAsync()
    {
        var serverFolder = Path.Combine(RepoRoot, "tests", "s3server");
        if (!File.Exists(Path.Combine(serverFolder, "node_modules", "s3rver", "package.json")))
        {
            // A fresh clone has no node_modules: install exactly what package-lock.json pins.
            await RunNpmCiAsync(serverFolder).ConfigureAwait(false);
        }

        _directory = Path.Combine(Path.GetTempPath(), "drlog-s3rver-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);

        // start.js is s3rver plus the SigV4 check it lacks. s3rver encrypts ListObjectsV2 continuation tokens
        // with DES, which OpenSSL 3 (Node 17+) only has in its legacy provider: without it page 2 is an
        // InternalError. Port 0 lets the OS pick a free port; the script prints the one it got, which avoids a
        // pick-then-bind race.
        // The server watches its stdin and this process: a killed test run takes it along (see start.js).
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = serverFolder,
        };
        foreach (var arg in new[] { "--openssl-legacy-provider", "start.js", "--directory", _directory, "--address", "127.0.0.1", "--port", "0", "--silent", "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        _process = StartProcess(start);
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();

        var port = await ReadPortAsync(_process).ConfigureAwait(false);
        EndpointUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

        // Nothing else is read from stdout; drain it so that a chatty server never blocks on a full pipe.
        _ = _process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        await WaitForConnectionAsync(port).ConfigureAwait(false);

        _client = new AmazonS3Client(Credentials, new AmazonS3Config
        {
            ServiceURL = EndpointUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            // s3rver predates the SDK v4 default checksums (aws-chunked trailers, x-amz-checksum-*).
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        });
    }

    public Task DisposeAsync()
    {
        _client?.Dispose();
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }

            process.Dispose();
        }

        if (_directory is not null && Directory.Exists(_directory))
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless; failing the run for it is not.
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Creates the bucket when it does not exist.</summary>
    public async Task CreateBucketAsync(string bucket)
    {
        try
        {
            await Client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    /// <summary>Uploads every file below a local folder to <c>s3://bucket/prefix/</c>, keeping relative paths.</summary>
    /// <returns>The <c>s3://bucket/prefix</c> URI.</returns>
    public async Task<string> UploadFolderAsync(string folder, string bucket, string prefix)
    {
        await CreateBucketAsync(bucket).ConfigureAwait(false);
        var root = Path.GetFullPath(folder);
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (file, cancellationToken) =>
        {
            var key = prefix.TrimEnd('/') + "/" + Path.GetRelativePath(root, file).Replace('\\', '/');
            await Client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                FilePath = file,
                // s3rver cannot decode aws-chunked bodies.
                UseChunkEncoding = false,
            }, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return $"s3://{bucket}/{prefix.Trim('/')}";
    }

    /// <summary>Uploads a folder of samples/ once per run to <c>s3://samples/{name}</c>.</summary>
    /// <returns>The <c>s3://samples/{name}</c> URI.</returns>
    public Task<string> UploadSampleAsync(string name) =>
        _samples.GetOrAdd(name, n => new Lazy<Task<string>>(() => UploadFolderAsync(Path.Combine(SamplesFolder, n), "samples", n))).Value;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "drlog.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No drlog.slnx above {AppContext.BaseDirectory}: run the tests from the repository.");
    }

    private static async Task RunNpmCiAsync(string serverFolder)
    {
        // npm is a .cmd script on Windows, which only a shell can start.
        var start = OperatingSystem.IsWindows() ? new ProcessStartInfo("cmd.exe") : new ProcessStartInfo("npm");
        if (OperatingSystem.IsWindows())
        {
            start.ArgumentList.Add("/c");
            start.ArgumentList.Add("npm");
        }

        foreach (var arg in new[] { "ci", "--prefix", serverFolder, "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = serverFolder;
        using var npm = StartProcess(start);
        var stdout = npm.StandardOutput.ReadToEndAsync();
        var stderr = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_npmTimeout);
        try
        {
            await npm.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"npm ci in {serverFolder} did not finish in {s_npmTimeout.TotalMinutes} minutes.");
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {serverFolder} failed ({npm.ExitCode}):\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }
    }

    private static Process StartProcess(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot run {start.FileName}: the S3 tests need Node.js (node and npm on PATH).", e);
        }
    }

    private async Task<int> ReadPortAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(s_startTimeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (ListeningLine().Match(line) is { Success: true } m)
                {
                    return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"s3rver did not report its port within {s_startTimeout.TotalSeconds} s. stderr: {Stderr()}");
        }

        throw new InvalidOperationException($"s3rver exited before listening. stderr: {Stderr()}");
    }

    private async Task WaitForConnectionAsync(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port).ConfigureAwait(false);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < s_startTimeout)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"s3rver does not accept connections on port {port}. stderr: {Stderr()}", e);
            }
        }
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            return _stderr.ToString().Trim();
        }
    }

    [GeneratedRegex(@"listening on [^\s:]+:(\d+)")]
    private static partial Regex ListeningLine();
}
