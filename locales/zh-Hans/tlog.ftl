# 辖区总览（serve --district）与检查点的见证。

nav-district = 辖区总览
district-title = 辖区各社区
district-intro = 每个社区各自保存自己的账本。本页从镜像读取每个社区的账本：镜像是一份副本，会对照社区签名的检查点逐条核验记录。下列数字是各社区自己的公开透明报告，每一行都写明核验到哪一个检查点。
district-caption = 辖区各社区，均由其账本的镜像核验
district-col-community = 社区（核验至）
district-col-proposals = 提案
district-col-adopted = 通过
district-col-completed = 完成
district-col-hearings = 听证会
district-col-statements = 发言
district-col-disputes = 纠纷
district-col-resolved = 已解决
district-col-ballots = 表决
district-col-pledges = 认捐
district-size = { $size } 条记录
district-size-label = 记录条数
district-root = 根哈希
district-at = 最后一条记录
district-ok = 已核验
district-failed = 核验未通过
district-failed-reason = 原因：{ $reason }
district-total = 已核验社区合计
district-empty = 尚未配置任何镜像。
district-how = 任何人都可以同样核验：用“delib mirror”镜像每个社区公开的日志，再对这些镜像运行“delib district report”。

witness-title = 谁见证了哪个检查点
witness-intro = 见证方是独立的第三方：它们保存见过的检查点，只有当新检查点延续了先前的检查点时才会签名。经它们联署的检查点，无法在它们不察觉的情况下被另一份历史取代。
witness-caption = 见证方联署的检查点
witness-col-witness = 见证方
witness-col-key = 密钥标识
witness-col-checkpoint = 检查点
witness-col-time = 联署时间
witness-empty = 尚无见证方联署本账本的检查点。
witness-unverified = 未用见证方的公钥核验
