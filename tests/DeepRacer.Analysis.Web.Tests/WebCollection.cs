using DeepRacer.Analysis.Tests.Reports;
using DeepRacer.Analysis.Tests.Sources;

namespace DeepRacer.Analysis.Web.Tests;

/// <summary>Every dashboard test shares one headless Chromium and one s3rver, and runs one after another (they time pages).</summary>
[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<ChromiumFixture>, ICollectionFixture<S3ServerFixture>
{
    public const string Name = "web";
}
