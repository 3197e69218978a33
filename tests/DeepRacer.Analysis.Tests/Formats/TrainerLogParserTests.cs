using System.Text;
using DeepRacer.Analysis.Formats;
using DeepRacer.Analysis.Metrics;

namespace DeepRacer.Analysis.Tests.Formats;

/// <summary>
/// The trainer (sagemaker) log's policy lines. Expected values come from grep/python3 on the console sample's
/// logs/training/*-sagemaker.log: 84 'Policy training>' lines, 3 epochs after each of iterations 0..27.
/// </summary>
public sealed class TrainerLogParserTests
{
    private static async Task<PolicyTraining> ConsoleAsync() =>
        (await TrainerLog.LoadAsync(TestSupport.Sample("sample-console-logs")))!;

    [Fact]
    public async Task Parse_ConsoleSagemakerLog_EveryEpochWithItsIteration()
    {
        var policy = await ConsoleAsync();

        Assert.Equal(84, policy.Epochs.Count);
        Assert.Equal(new PolicyEpoch(0, 0, -0.010912807658314705, 0.009982473216950893, 2.628384590148926, 0.0003, 95), policy.Epochs[0]);
        Assert.Equal(new PolicyEpoch(27, 2, -0.05316242575645447, 0.034378908574581146, 1.6290899515151978, 0.0003, policy.Epochs[^1].LineNumber), policy.Epochs[^1]);
        Assert.Equal(Enumerable.Range(0, 28), policy.Epochs.Select(e => e.Iteration).Distinct());
    }

    [Fact]
    public async Task PerIteration_Console_MeansOverEpochs()
    {
        var table = (await ConsoleAsync()).PerIteration();

        Assert.Equal(PolicyTraining.ColumnNames, table.Columns.Select(c => c.Name));
        Assert.Equal(28, table.RowCount);
        Assert.Equal(3, table.Get<int>("epochs")[0]);

        // Means of the three lines 95-97: entropy 2.626042683919271, KL 0.012280190673967203, loss -0.024789636333783466.
        Assert.Equal(2.626042683919271, table.Get<double>("entropy")[0], 12);
        Assert.Equal(0.012280190673967203, table.Get<double>("kl_divergence")[0], 12);
        Assert.Equal(-0.024789636333783466, table.Get<double>("surrogate_loss")[0], 12);
        Assert.Equal(1.626103123029073, table.Get<double>("entropy")[27], 12);

        // 20 'Training>' lines (episodes 1..20) precede the first update.
        Assert.Equal(20, table.Get<int>("episodes")[0]);
    }

    [Fact]
    public void Parse_WithoutEpisodeLines_NumbersUpdatesAsTheLogSeparatesThem()
    {
        var log = """
            Policy training> Surrogate loss=-0.5, KL divergence=0.01, Entropy=2.5, training epoch=0, learning_rate=0.0003
            Policy training> Surrogate loss=-0.4, KL divergence=0.02, Entropy=2.4, training epoch=1, learning_rate=0.0003
            Checkpoint> Saving in path=['./checkpoint_sagemaker/agent/1_Step-519.ckpt']
            Policy training> Surrogate loss=0.1, KL divergence=1e-05, Entropy=2.3, training epoch=0, learning_rate=3e-05
            Policy training> Surrogate loss=0.2, KL divergence=nan, Entropy=2.2, training epoch=0, learning_rate=3e-05
            """;

        var policy = PolicyTraining.Parse(Encoding.UTF8.GetBytes(log));

        // Interrupted by the checkpoint line → update 1; the epoch restarting at 0 → update 2.
        Assert.Equal([0, 0, 1, 2], policy.Epochs.Select(e => e.Iteration));
        Assert.Equal(1e-05, policy.Epochs[2].KlDivergence);
        Assert.Equal(3e-05, policy.Epochs[2].LearningRate);
        Assert.True(double.IsNaN(policy.Epochs[3].KlDivergence));
    }

    [Fact]
    public async Task LoadAsync_FolderWithoutTrainerLog_IsNull()
    {
        Assert.Null(await TrainerLog.LoadAsync(TestSupport.Sample("sample-drfc-1-logs")));
    }
}
