using System.Text.Json;

namespace DrLog.Tests.Commands;

public class OtherCommandsTests
{
    [Fact]
    public async Task Steps_OneEpisode_PrintsItsRowsWithRawColumns()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("steps", CliRunner.Sample("sample-drfc-1-logs"), "--episode", "0", "-f", "csv");

        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(
            "episode,steps,x,y,yaw,steering_angle,speed,action,reward,done,on_track,progress,closest_waypoint,track_len,tstamp,episode_status,pause_duration,wall_clock,iteration,worker,unique_episode",
            lines[0]);
        // Episode 0 is lines 2..58 of training-simtrace/0-iteration.csv (57 rows); its first row:
        // 0,1.0,3.1999032745384617,0.6830977174476494,0.18402830554025268,20.0,1.0,10,0.0,False,True,0.7915139235659773,1,17.709159380834848,27.788,prepare,0.0
        Assert.Equal(58, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal("3.1999032", first[2]);
        Assert.Equal("10", first[7]);
        Assert.Equal("0.7915139235659773", first[11]);
        Assert.Equal("27.788", first[14]);
        Assert.Equal("prepare", first[15]);
    }

    [Fact]
    public async Task Steps_MissingEpisode_SaysWhichExist()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("steps", CliRunner.Sample("sample-drfc-1-logs"), "--episode", "99999");

        Assert.Equal(1, exit);
        Assert.Contains("No steps for episode 99999", stderr, StringComparison.Ordinal);
        Assert.Contains("from 0 to 539", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_Json_Console_ReadsMetadataFiles()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("info", CliRunner.Sample("sample-console-logs"), "-f", "json");

        Assert.Equal(0, exit);
        var info = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("ConsoleModelWithLogs", info.GetProperty("folder_type").GetString());
        // ip/hyperparameters.json: "batch_size": 64, "num_episodes_between_training": 20; model_metadata.json has 14 actions? see below.
        Assert.Equal(64, info.GetProperty("hyperparameters").GetProperty("batch_size").GetInt32());
        Assert.Equal(20, info.GetProperty("hyperparameters").GetProperty("num_episodes_between_training").GetInt32());
        Assert.Equal("DEEP_CONVOLUTIONAL_NETWORK_SHALLOW", info.GetProperty("agent_and_network").GetProperty("network").GetString());
        Assert.Equal("reinvent_base", info.GetProperty("world").GetString());
    }

    [Fact]
    public async Task Stability_Json_DroaHasRealTimeFactorAndPolicyTime()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("stability", CliRunner.Sample("sample-droa-solution-logs"), "-f", "json");

        Assert.Equal(0, exit);
        var report = JsonDocument.Parse(stdout).RootElement;
        var groups = report.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(2, groups.Count);
        // Checked by hand from 0-iteration.csv: 353 tstamp differences within episodes, mean 65.887 ms, largest 92 ms.
        Assert.Equal(353, groups[0].GetProperty("count").GetInt32());
        Assert.Equal(65.887, groups[0].GetProperty("avg_ms").GetDouble(), 3);
        Assert.Equal(92.0, groups[0].GetProperty("max_ms").GetDouble(), 6);
        Assert.Equal(0.644, groups[0].GetProperty("rtf").GetDouble(), 3);
        Assert.Equal(13.340, groups[0].GetProperty("policy_time_s").GetDouble(), 3);
        Assert.Equal(806, report.GetProperty("overall").GetProperty("count").GetInt32());
        Assert.Equal(66.132, report.GetProperty("overall").GetProperty("avg_ms").GetDouble(), 3);
    }

    [Fact]
    public async Task Info_SagemakerLog_ReadsItsHyperparametersAndActionSpace()
    {
        var log = Directory.GetFiles(Path.Combine(CliRunner.Sample("sample-console-logs"), "logs", "training"), "*-sagemaker.log").Single();

        var (exit, stdout, _) = await CliRunner.RunAsync("info", log, "-f", "json");

        Assert.Equal(0, exit);
        var info = JsonDocument.Parse(stdout).RootElement;
        // Lines 6-21 of the log: the hyper-parameter block; line 5: 14 actions; line 4: the sensor line.
        var hp = info.GetProperty("hyperparameters");
        Assert.Equal(64, hp.GetProperty("batch_size").GetInt32());
        Assert.Equal(3, hp.GetProperty("num_epochs").GetInt32());
        Assert.Equal("huber", hp.GetProperty("loss_type").GetString());
        Assert.Equal(0.0003, hp.GetProperty("lr").GetDouble());
        Assert.Equal(14, info.GetProperty("action_space").GetArrayLength());
        Assert.Equal("4.0", info.GetProperty("agent_and_network").GetProperty("simapp_version").GetString());
        Assert.Equal("clipped_ppo", info.GetProperty("agent_and_network").GetProperty("training_algorithm").GetString());
    }
}
