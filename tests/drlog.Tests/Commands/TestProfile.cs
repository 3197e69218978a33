using DeepRacer.Analysis.Tests.Catalog;
using DeepRacer.Analysis.Tests.Sources;

namespace DrLog.Tests.Commands;

/// <summary>The AWS profiles the CLI's CloudWatch tests use, in a shared credentials file of their own.</summary>
internal static class TestProfile
{
    /// <summary>A profile with the CloudWatch test server's keys.</summary>
    public const string Name = "drlog-catalog-test";

    /// <summary>A profile with the S3 test server's keys (s3rver's built-in account).</summary>
    public const string S3Name = "drlog-s3rver-test";

    private static readonly Lazy<string> s_file = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "drlog-aws-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var credentials = Path.Combine(folder, "credentials");
        File.WriteAllText(credentials, $"[{Name}]\naws_access_key_id = {CloudWatchTestServer.AccessKey}\naws_secret_access_key = {CloudWatchTestServer.SecretKey}\n" +
            $"[{S3Name}]\naws_access_key_id = {S3ServerFixture.AccessKey}\naws_secret_access_key = {S3ServerFixture.SecretKey}\n" +
            "[drlog-sso-test]\nsso_start_url = https://drlog-test.invalid/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n");
        return credentials;
    });

    /// <summary>
    /// Points the SDK at the file, so the CLI resolves credentials like a user's run does (a named profile). The SDK reads
    /// AWS_SHARED_CREDENTIALS_FILE once per process (another test may have come first); this setting it reads every time.
    /// </summary>
    public static void Install() => Amazon.AWSConfigs.AWSProfilesLocation = s_file.Value;
}
